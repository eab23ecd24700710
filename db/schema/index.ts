export * from "./sites";
export * from "./users";
export * from "./translations";
export * from "./rate-limits";
export * from "./queue";
export * from "./password-resets";
export * from "./newsletters";
export * from "./pending-registrations";
