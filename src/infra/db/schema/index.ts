export * from "./access";
export * from "./knowledge";
export * from "./reference";
