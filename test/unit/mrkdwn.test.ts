import { describe, expect, it } from "vitest";
import {
  decodeEntities,
  emojify,
  formatSlackDate,
  type MrkdwnToken,
  parseMrkdwn,
  parseSimpleMarkdown,
  simpleMarkdownToHtml,
} from "../../src/sandbox/playground/mrkdwn.js";

/** Every token of a tree, depth first. */
function flat(tokens: MrkdwnToken[]): MrkdwnToken[] {
  return tokens.flatMap((t) => ("children" in t ? [t, ...flat(t.children)] : [t]));
}

/** The text a reader would see, without formatting. */
function words(tokens: MrkdwnToken[]): string {
  return flat(tokens)
    .map((t) => ("text" in t ? t.text : t.type === "br" ? "\n" : ""))
    .join("");
}

describe("parseMrkdwn: escaping", () => {
  it("decodes only &amp; &lt; &gt;, once", () => {
    expect(parseMrkdwn("a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#39; &amp;lt;")).toEqual([
      { type: "text", text: "a & b <c> &quot;d&quot; &#39;e&#39; &lt;" },
    ]);
    expect(decodeEntities("&amp;amp;")).toBe("&amp;");
  });

  it("keeps escaped markup as text tokens", () => {
    const tokens = parseMrkdwn("&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;");
    expect(tokens).toEqual([{ type: "text", text: "<script>alert(1)</script> <img src=x onerror=alert(1)>" }]);
  });

  it("shows unescaped tags that are not control sequences as text", () => {
    const tokens = parseMrkdwn("<img src=x onerror=alert(1)>");
    expect(tokens.every((t) => t.type === "text")).toBe(true);
    expect(words(tokens)).toBe("img src=x onerror=alert(1)");
    expect(flat(tokens).some((t) => t.type === "link")).toBe(false);
  });
});

describe("parseMrkdwn: links and mentions", () => {
  it("turns http, https and mailto into links", () => {
    expect(parseMrkdwn("<https://example.com/a?b=1&amp;c=2|the site> and <http://x.test>")).toEqual([
      { type: "link", url: "https://example.com/a?b=1&c=2", text: "the site" },
      { type: "text", text: " and " },
      { type: "link", url: "http://x.test", text: "http://x.test" },
    ]);
    expect(parseMrkdwn("<mailto:hr@example.com|HR>")).toEqual([
      { type: "link", url: "mailto:hr@example.com", text: "HR" },
    ]);
  });

  it("never makes javascript:, data: or relative links", () => {
    for (const source of [
      "<javascript:alert(1)|click me>",
      "<JavaScript:alert(1)>",
      "<data:text/html,hi|click me>",
      "</relative|click me>",
    ]) {
      const tokens = parseMrkdwn(source);
      expect(flat(tokens).some((t) => t.type === "link")).toBe(false);
      expect(tokens.every((t) => t.type === "text")).toBe(true);
    }
    expect(words(parseMrkdwn("<javascript:alert(1)|click me>"))).toBe("click me");
  });

  it("parses user, channel and broadcast mentions", () => {
    expect(parseMrkdwn("hi <@U1>, see <#C1|x> <!here>")).toEqual([
      { type: "text", text: "hi " },
      { type: "user", id: "U1", label: null },
      { type: "text", text: ", see " },
      { type: "channel", id: "C1", name: "x" },
      { type: "text", text: " " },
      { type: "broadcast", name: "here" },
    ]);
    expect(parseMrkdwn("<!channel><!everyone>")).toEqual([
      { type: "broadcast", name: "channel" },
      { type: "broadcast", name: "everyone" },
    ]);
  });

  it("parses dates with their fallback", () => {
    expect(parseMrkdwn("<!date^1700000000^{date_short_pretty} {time}|Nov 15, 2023 07:13>")).toEqual([
      {
        type: "date",
        unix: 1700000000,
        format: "{date_short_pretty} {time}",
        link: null,
        fallback: "Nov 15, 2023 07:13",
      },
    ]);
    const [bad] = parseMrkdwn("<!date^soon^{date}|later>");
    expect(bad).toMatchObject({ type: "date", fallback: "later" });
    expect(bad?.type === "date" && Number.isNaN(bad.unix)).toBe(true);
  });
});

describe("parseMrkdwn: formatting", () => {
  it("parses bold, italic, strike, code", () => {
    expect(parseMrkdwn("*b* _i_ ~s~ `c *not bold*`")).toEqual([
      { type: "bold", children: [{ type: "text", text: "b" }] },
      { type: "text", text: " " },
      { type: "italic", children: [{ type: "text", text: "i" }] },
      { type: "text", text: " " },
      { type: "strike", children: [{ type: "text", text: "s" }] },
      { type: "text", text: " " },
      { type: "code", text: "c *not bold*" },
    ]);
  });

  it("parses pre blocks across lines, unformatted", () => {
    expect(parseMrkdwn("before\n```\nline *1*\n&lt;b&gt;\n```\nafter")).toEqual([
      { type: "text", text: "before" },
      { type: "pre", text: "line *1*\n<b>\n" },
      { type: "text", text: "after" },
    ]);
  });

  it("nests styles and links inside bold", () => {
    expect(parseMrkdwn("*_both_ and <https://a.test|link>*")).toEqual([
      {
        type: "bold",
        children: [
          { type: "italic", children: [{ type: "text", text: "both" }] },
          { type: "text", text: " and " },
          { type: "link", url: "https://a.test", text: "link" },
        ],
      },
    ]);
  });

  it("does not style inside words or unmatched markers", () => {
    expect(parseMrkdwn("snake_case_name 2*3*4 a * b * c *open")).toEqual([
      { type: "text", text: "snake_case_name 2*3*4 a * b * c *open" },
    ]);
  });

  it("bolds next to Japanese text", () => {
    expect(parseMrkdwn("*#12 求人* への紹介")[0]).toEqual({
      type: "bold",
      children: [{ type: "text", text: "#12 求人" }],
    });
  });

  it("turns newlines into breaks and > lines into quotes", () => {
    expect(parseMrkdwn("a\nb\n&gt; q1\n> q2\nc")).toEqual([
      { type: "text", text: "a" },
      { type: "br" },
      { type: "text", text: "b" },
      { type: "quote", children: [{ type: "text", text: "q1" }, { type: "br" }, { type: "text", text: "q2" }] },
      { type: "text", text: "c" },
    ]);
  });

  it("replaces known emoji shortcodes only", () => {
    expect(parseMrkdwn(":tada: :nope: 10:30:00")).toEqual([
      { type: "emoji", name: "tada", text: "🎉" },
      { type: "text", text: " :nope: 10:30:00" },
    ]);
    expect(emojify(":wave: :unknown_thing:")).toBe("👋 :unknown_thing:");
  });
});

describe("formatSlackDate", () => {
  const unix = Date.UTC(2024, 0, 15, 3, 30) / 1000;
  it("formats in the page's language", () => {
    expect(formatSlackDate(unix, "{date_num} {time}", "en", 0, "UTC")).toBe("2024-01-15 3:30 AM");
    expect(formatSlackDate(unix, "{date_num} {time}", "ja", 0, "UTC")).toBe("2024-01-15 3:30");
    expect(formatSlackDate(unix, "{date_short_pretty}", "en", unix * 1000, "UTC")).toBe("Today");
    expect(formatSlackDate(unix, "{date_short_pretty}", "ja", unix * 1000 + 86_400_000, "UTC")).toBe("昨日");
  });
  it("gives null for a time that is not a number", () => {
    expect(formatSlackDate(Number.NaN, "{date}", "en")).toBeNull();
  });
});

describe("Teams markdown", () => {
  it("parses bold, italic, lists and http(s) links only", () => {
    expect(parseSimpleMarkdown("**Hi** _there_\n- one\n- [two](https://a.test)\n[x](javascript:void%200)")).toEqual([
      {
        type: "line",
        children: [
          { type: "bold", children: [{ type: "text", text: "Hi" }] },
          { type: "text", text: " " },
          { type: "italic", children: [{ type: "text", text: "there" }] },
        ],
      },
      {
        type: "list",
        ordered: false,
        items: [[{ type: "text", text: "one" }], [{ type: "link", url: "https://a.test", text: "two" }]],
      },
      { type: "line", children: [{ type: "text", text: "x" }] },
    ]);
    expect(parseSimpleMarkdown("[x](javascript:alert(1))")).toEqual([
      { type: "line", children: [{ type: "text", text: "[x](javascript:alert(1))" }] },
    ]);
  });

  it("escapes HTML before adding its own tags", () => {
    const html = simpleMarkdownToHtml('<img src=x onerror="alert(1)"> **b** [l](https://a.test/?q=1&x=2)');
    expect(html).toBe(
      "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <strong>b</strong> " +
        '<a href="https://a.test/?q=1&amp;x=2" target="_blank" rel="noopener noreferrer">l</a>',
    );
    expect(simpleMarkdownToHtml('[l](https://a.test/"onmouseover="alert(1))')).not.toContain("<a");
    expect(simpleMarkdownToHtml("a\nb")).toBe("a<br>b");
  });
});
