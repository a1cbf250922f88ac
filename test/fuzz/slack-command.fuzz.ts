import { fuzzEntryPoint } from "./entry.js";
import { slackCommandEntry } from "./properties.js";

fuzzEntryPoint(slackCommandEntry);
