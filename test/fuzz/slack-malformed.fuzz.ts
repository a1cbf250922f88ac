import { fuzzEntryPoint } from "./entry.js";
import { slackMalformedEntry } from "./properties.js";

fuzzEntryPoint(slackMalformedEntry);
