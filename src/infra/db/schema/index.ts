export * from "./knowledge";
export * from "./reference";
