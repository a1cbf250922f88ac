// User text on its way into Slack (escapeMrkdwn) and command / modal input on its
// way out of Slack (parse.ts, view-state.ts).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/core/errors.js";
import { SUBCOMMANDS } from "../../src/platforms/slack/blocks/messages.js";
import { escapeMrkdwn } from "../../src/platforms/slack/escape.js";
import { MAX_COMMAND_TEXT, parseAlumniCommand, parseUserMention, splitWords } from "../../src/platforms/slack/parse.js";
import { parseMetadata, readViewState } from "../../src/platforms/slack/view-state.js";

const WORD_JOINER = "\u2060";

// Pieces that mean something to Slack's mrkdwn, or to the escaping itself.
const FRAGMENTS = [
  "<!channel>",
  "<!here>",
  "<@U123>",
  "<#C123|general>",
  "<https://a|b>",
  "@here",
  "@channel",
  "@everyone",
  "@HERE",
  "@Channel",
  "@EveryOne",
  "@channelです",
  "@here:",
  "@",
  "&",
  "<",
  ">",
  "&amp;",
  "&lt;",
  "&gt;",
  "&amp;lt;",
  "here",
  "channel",
  "everyone",
  " ",
  "\n",
  "a",
  "é",
  "日本",
  "😀",
];

/** Strings built from Slack-significant fragments mixed with arbitrary unicode. */
const slackish = fc.oneof(
  fc.string({ unit: "binary" }),
  fc.string({ unit: "grapheme" }),
  fc
    .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: "binary", maxLength: 3 })), { maxLength: 12 })
    .map((parts) => parts.join("")),
);

function unescapeMrkdwn(text: string): string {
  return text
    .replaceAll(`@${WORD_JOINER}`, "@")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

describe("escapeMrkdwn", () => {
  it("leaves no < or > for Slack to read as a link or mention", () => {
    fc.assert(
      fc.property(slackish, (s) => {
        const out = escapeMrkdwn(s);
        expect(out).not.toMatch(/[<>]/);
      }),
    );
  });

  it("leaves no bare &: every & starts &amp;, &lt; or &gt;", () => {
    fc.assert(
      fc.property(slackish, (s) => {
        expect(escapeMrkdwn(s)).not.toMatch(/&(?!amp;|lt;|gt;)/);
      }),
    );
  });

  it("puts a word joiner after @ in every @here, @channel and @everyone, in any case", () => {
    // The guard is for the words: "@heresy" or "me@channelpartners.com" are left as typed
    // (a joiner would break copying them); a non-word character after the word,
    // Japanese included ("@channelです"), still counts as the word's end.
    fc.assert(
      fc.property(slackish, (s) => {
        expect(escapeMrkdwn(s)).not.toMatch(/@(?:here|channel|everyone)(?![A-Za-z0-9_])/i);
      }),
    );
    expect(escapeMrkdwn("@here @Channel @EVERYONE")).toBe(
      `@${WORD_JOINER}here @${WORD_JOINER}Channel @${WORD_JOINER}EVERYONE`,
    );
    expect(escapeMrkdwn("@channelです")).toBe(`@${WORD_JOINER}channelです`);
    expect(escapeMrkdwn("x@here.")).toBe(`x@${WORD_JOINER}here.`);
    expect(escapeMrkdwn("@heresy")).toBe("@heresy");
  });

  it("can be reversed: nothing the user typed is lost", () => {
    // A typed "@\u2060" cannot be told apart from an inserted one, so inputs holding
    // one are left out (escaping is deliberately not injective there).
    fc.assert(
      fc.property(
        slackish.filter((s) => !s.includes(`@${WORD_JOINER}`)),
        (s) => {
          expect(unescapeMrkdwn(escapeMrkdwn(s))).toBe(s);
        },
      ),
    );
    expect(escapeMrkdwn("<!channel> & <https://evil|bank>")).toBe("&lt;!channel&gt; &amp; &lt;https://evil|bank&gt;");
    expect(escapeMrkdwn("&lt;")).toBe("&amp;lt;");
  });
});

describe("parseAlumniCommand", () => {
  it("reads empty or blank text as help", () => {
    for (const text of [undefined, "", "   ", "\u3000", " \n\t "]) {
      expect(parseAlumniCommand(text), JSON.stringify(text)).toEqual({ name: "help", args: "" });
    }
  });

  it("matches the subcommand case-insensitively and keeps the arguments as typed", () => {
    expect(parseAlumniCommand("JOBS TypeScript")).toEqual({ name: "jobs", args: "TypeScript" });
    expect(parseAlumniCommand("  Find   Rust  Go ")).toEqual({ name: "find", args: "Rust  Go" });
    expect(parseAlumniCommand("find\u3000法人営業\u3000採用")).toEqual({ name: "find", args: "法人営業\u3000採用" });
    expect(parseAlumniCommand("lang en")).toEqual({ name: "lang", args: "en" });
    expect(parseAlumniCommand("find a\nb")).toEqual({ name: "find", args: "a\nb" });
    for (const name of SUBCOMMANDS) expect(parseAlumniCommand(name)).toEqual({ name, args: "" });
  });

  it("NFC-normalises the text", () => {
    expect(parseAlumniCommand("find か\u3099いこく").args).toBe("がいこく");
  });

  it("answers an unknown subcommand with help naming what was typed", () => {
    expect(parseAlumniCommand("frobnicate now")).toEqual({ name: "help", args: "", unknown: "frobnicate" });
    expect(parseAlumniCommand("Jobz")).toEqual({ name: "help", args: "", unknown: "jobz" });
    expect(parseAlumniCommand("検索 rust")).toEqual({ name: "help", args: "", unknown: "検索" });
  });

  it("keeps any arguments of a known subcommand", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SUBCOMMANDS), fc.string({ unit: "grapheme", maxLength: 60 }), (name, args) => {
        const parsed = parseAlumniCommand(`${name.toUpperCase()} ${args}`);
        expect(parsed).toEqual({ name, args: args.normalize("NFC").trim() });
      }),
    );
  });

  it(`refuses a known subcommand with more than ${MAX_COMMAND_TEXT} characters`, () => {
    const atLimit = `find ${"a".repeat(MAX_COMMAND_TEXT - 5)}`;
    expect(parseAlumniCommand(`  ${atLimit}  `).args).toHaveLength(MAX_COMMAND_TEXT - 5);
    const error = (() => {
      try {
        parseAlumniCommand(`${atLimit}a`);
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("validation");
    expect((error as AppError).fields).toEqual({
      text: { key: "validation.tooLong", params: { max: MAX_COMMAND_TEXT } },
    });
  });
});

describe("splitWords", () => {
  it("splits on any run of ASCII or full-width (U+3000) spaces", () => {
    expect(splitWords("TypeScript\u3000法人営業  採用\n\tSQL")).toEqual(["TypeScript", "法人営業", "採用", "SQL"]);
    expect(splitWords("\u3000 a \u3000")).toEqual(["a"]);
    expect(splitWords("")).toEqual([]);
    expect(splitWords("\u3000\u3000")).toEqual([]);
  });

  it("never returns an empty or space-containing word, and loses no other character", () => {
    const words = fc.array(fc.stringMatching(/^[^\s\u3000]{1,8}$/), { maxLength: 6 });
    const gap = fc.constantFrom(" ", "\u3000", "  ", "\t", "\n", " \u3000 ");
    fc.assert(
      fc.property(words, gap, (ws, g) => {
        expect(splitWords(`${g}${ws.join(g)}${g}`)).toEqual(ws);
      }),
    );
  });
});

describe("parseUserMention", () => {
  it("reads an escaped mention, with or without a name, or a bare user id", () => {
    expect(parseUserMention("<@U123ABC|name>")).toBe("U123ABC");
    expect(parseUserMention("<@U123ABC|>")).toBe("U123ABC");
    expect(parseUserMention("<@W123ABC>")).toBe("W123ABC");
    expect(parseUserMention("  <@U123ABC>\u3000")).toBe("U123ABC");
    expect(parseUserMention("U123ABCD")).toBe("U123ABCD");
    expect(parseUserMention("W0123456")).toBe("W0123456");
  });

  it("refuses anything else", () => {
    for (const text of [
      "",
      "@name",
      "@U123ABC",
      "<#C123>",
      "<#C123ABC|general>",
      "<!here>",
      "<@U1> <@U2>",
      "<@U1|a> <@U2>",
      "<@u123abc>",
      "<@U123ABC",
      "C123ABCD",
      "U123",
      "u123abcd",
      "U123ABCD extra",
    ]) {
      expect(parseUserMention(text), text).toBeNull();
    }
  });
});

describe("readViewState", () => {
  // Shaped like Slack's view.state on view_submission.
  const state = {
    values: {
      displayName: { displayName: { type: "plain_text_input", value: "田中 太郎" } },
      department: { department: { type: "plain_text_input", value: null } },
      email: { email: { type: "email_text_input", value: "taro@example.com" } },
      joinedYear: { joinedYear: { type: "number_input", value: "2010" } },
      leftYear: { leftYear: { type: "number_input", value: null } },
      interests: {
        interests: { type: "checkboxes", selected_options: [{ value: "job_alerts" }, { value: "happy_to_refer" }] },
      },
      hrFields: { hrFields: { type: "checkboxes", selected_options: [] } },
      locale: { locale: { type: "static_select", selected_option: { value: "en" } } },
      title: { title: { type: "static_select", selected_option: null } },
      answer: { answer: { type: "radio_buttons", selected_option: { value: "maybe" } } },
      noAnswer: { noAnswer: { type: "radio_buttons", selected_option: null } },
      leftOn: { leftOn: { type: "datepicker", selected_date: "2024-03-31" } },
      startedOn: { startedOn: { type: "datepicker", selected_date: null } },
      user: { user: { type: "users_select", selected_user: "U123ABC" } },
    },
  };

  it("maps each block to its element's value, by element type", () => {
    expect(readViewState(state)).toEqual({
      displayName: "田中 太郎",
      department: null,
      email: "taro@example.com",
      joinedYear: "2010",
      leftYear: null,
      interests: ["job_alerts", "happy_to_refer"],
      hrFields: [],
      locale: "en",
      title: null,
      answer: "maybe",
      noAnswer: null,
      leftOn: "2024-03-31",
      startedOn: null,
      user: "U123ABC",
    });
  });

  it("falls back to the block's only element when its action_id differs, and skips empty blocks", () => {
    expect(
      readViewState({
        values: {
          note: { other_action: { type: "plain_text_input", value: "hello" } },
          empty: {},
        },
      }),
    ).toEqual({ note: "hello" });
  });

  it("reads a missing or empty state as no values", () => {
    expect(readViewState(undefined)).toEqual({});
    expect(readViewState({})).toEqual({});
    expect(readViewState({ values: {} })).toEqual({});
  });
});

describe("parseMetadata", () => {
  it("reads a JSON object", () => {
    expect(parseMetadata('{"mode":"edit","locale":"ja"}')).toEqual({ mode: "edit", locale: "ja" });
  });

  it("reads malformed or non-object metadata as empty", () => {
    for (const raw of [undefined, null, 42, {}, "", "not json", "{", '"text"', "42", "null", "true"]) {
      expect(parseMetadata(raw), JSON.stringify(raw)).toEqual({});
    }
  });
});
