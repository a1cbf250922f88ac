// The request builders live in src/sandbox (the playground signs its requests with them).
export * from "../../src/sandbox/slack-requests.js";
