import type { MessageKey } from "./ja.js";

export const en: Record<MessageKey, string> = {
  "error.internal": "Something went wrong. Please try again in a moment. (ref: {ref})",
  "error.validation": "Please check what you entered: {details}",
  "error.forbidden": "You are not allowed to do that.",
  "error.not_found": "{thing} was not found.",
  "error.conflict": "That collided with another change. Please try again.",
  "error.rate_limited": "Too many requests. Please wait about {seconds} seconds and try again.",
};
