// The fakes live in src/sandbox (the sandbox mode serves them too); tests import them from here.
export * from "../../src/sandbox/fake-slack.js";
