import { type ChildProcess, spawn } from "node:child_process";

/** A child process of the project's own code, with everything it printed so far. */
export interface StartedProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs a TypeScript entry point (e.g. `src/main.ts`, `src/cli/keys.ts create …`) in one node
 * process with tsx as a loader, so signals reach it directly, and collects stdout and stderr.
 */
export function runTypeScript(args: readonly string[], env: NodeJS.ProcessEnv): StartedProcess {
  let output = "";
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}
