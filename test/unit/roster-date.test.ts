// Roster dates: the Gregorian forms HRIS exports write, and wareki checked against its eras.
import { describe, expect, it } from "vitest";
import { parseRosterDate } from "../../src/core/roster/roster-date.js";

describe("roster dates", () => {
  it.each([
    ["2023-03-31", "2023-03-31"],
    ["2023/3/31", "2023-03-31"],
    ["2023.03.31", "2023-03-31"],
    ["20230331", "2023-03-31"],
    ["2023年3月31日", "2023-03-31"],
    ["２０２３／０３／３１", "2023-03-31"],
    ["2023/03/31 0:00", "2023-03-31"],
    ["2023-03-31T00:00:00", "2023-03-31"],
    ["H27.4.1", "2015-04-01"],
    ["h27.4.1", "2015-04-01"],
    ["R5.3.31", "2023-03-31"],
    ["平成27年4月1日", "2015-04-01"],
    ["令和5年3月31日", "2023-03-31"],
    ["令和元年5月1日", "2019-05-01"],
    ["R1.5.1", "2019-05-01"],
    ["平成31年4月30日", "2019-04-30"],
    ["S64.1.7", "1989-01-07"],
    ["昭和63年4月1日", "1988-04-01"],
    ["H1.1.8", "1989-01-08"],
    ["平成 27 年 4 月 1 日", "2015-04-01"],
    ["", null],
    ["   ", null],
  ])("%s → %s", (text, expected) => {
    expect(parseRosterDate(text)).toBe(expected);
  });

  it.each([
    ["2023-02-29", "no 29 February in 2023"],
    ["2023-13-01", "no month 13"],
    ["H27.2.30", "no 30 February"],
    ["平成31年5月1日", "that day is 令和元年5月1日"],
    ["令和元年4月30日", "令和 began on 1 May 2019"],
    ["S64.1.8", "昭和 ended on 7 January 1989"],
    ["H1.1.7", "平成 began on 8 January 1989"],
    ["R0.4.1", "there is no year 0"],
    ["X5.3.31", "no such era"],
    ["来年の春", "not a date"],
    ["0023-03-31", "a typo, not year 23"],
    ["3/31/2023", "month-first is ambiguous"],
  ])("%s is refused (%s)", (text) => {
    expect(parseRosterDate(text)).toBe("invalid");
  });
});
