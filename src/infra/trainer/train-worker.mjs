// Worker thread entry. The training code is TypeScript; a worker does not always inherit the
// parent's loader (under vitest it has none), so it registers tsx itself, then runs the job.
import { register } from "tsx/esm/api";

register();
await import("./train-job.ts");
