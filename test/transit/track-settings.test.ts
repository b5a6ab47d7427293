import { expect, it } from "vitest";
import { readApiSettings } from "../../api/settings.js";
import { SettingsReader } from "../../sdk/settings/reader.js";

const read = (env: Record<string, string>) => {
  const reader = new SettingsReader("start", env);
  return { track: readApiSettings(reader, "/tmp/home", "/tmp").track, problems: reader.problems };
};

it("reads when seal tracks are anchored: 120 reports or an hour by default; a bad value names its variable", () => {
  expect(read({})).toEqual({ track: { segmentReports: 120, segmentSeconds: 3_600n }, problems: [] });
  expect(read({ TRACEGATE_TRACK_SEGMENT_REPORTS: "30", TRACEGATE_TRACK_SEGMENT_SECONDS: "900" }).track).toEqual({ segmentReports: 30, segmentSeconds: 900n });
  const bad = read({ TRACEGATE_TRACK_SEGMENT_REPORTS: "0", TRACEGATE_TRACK_SEGMENT_SECONDS: "1h" });
  expect(bad.problems).toEqual([
    expect.stringMatching(/^TRACEGATE_TRACK_SEGMENT_REPORTS must be a number of reports of at least 1, not "0"/),
    expect.stringMatching(/^TRACEGATE_TRACK_SEGMENT_SECONDS must be a number of seconds of at least 1, not "1h"/),
  ]);
  expect(read({ TRACEGATE_TRACK_SEGMENT_REPORTS: "9000" }).problems).toEqual([expect.stringMatching(/at most 8640 \(the most one segment holds\)/)]);
});
