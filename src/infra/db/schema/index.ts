export * from "./access";
export * from "./cases";
export * from "./knowledge";
export * from "./reference";
