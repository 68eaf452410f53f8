export * from "./access";
export * from "./analytics";
export * from "./calendar";
export * from "./cases";
export * from "./knowledge";
export * from "./models";
export * from "./reference";
export * from "./work-orders";
