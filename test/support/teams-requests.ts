// The request builders live in src/sandbox (the playground sends its activities with them).
export * from "../../src/sandbox/teams-requests.js";
