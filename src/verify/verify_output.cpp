// The trailwatch.verify/1 JSON and the table (docs/design.md "verify").
#include <fmt/format.h>

#include "trailwatch/json_string.hpp"
#include "trailwatch/plural.hpp"
#include "trailwatch/verify.hpp"

namespace trailwatch::verify {

std::string verify_json(const VerifyReport& r) {
  std::string out = "{\"schema\":\"trailwatch.verify/1\",";
  out += fmt::format("\"digests\":{{\"total\":{},\"valid\":{},\"invalid\":{},\"unverified_signature\":{}}},",
                     r.digests_total, r.digests_valid, r.digests_invalid, r.digests_unverified_signature);
  out += fmt::format(
      "\"log_files\":{{\"total\":{},\"valid\":{},\"modified\":{},\"missing\":{},\"not_in_any_digest\":{},"
      "\"unreadable\":{}}},",
      r.logs_total, r.logs_valid, r.logs_modified, r.logs_missing, r.logs_not_in_any_digest,
      r.logs_unreadable);
  out += "\"chains\":[";
  for (std::size_t i = 0; i < r.chains.size(); ++i) {
    const Chain& c = r.chains[i];
    // A backfill chain is named by its trail with the file-name suffix, so the schema stays as listed.
    out += fmt::format(
        "{}{{\"account\":{},\"region\":{},\"trail\":{},\"first\":{},\"last\":{},\"restarts\":{}}}",
        i ? "," : "", json_quote(c.account), json_quote(c.region),
        json_quote(c.backfill ? c.trail + "_backfill" : c.trail), json_quote(c.first), json_quote(c.last),
        c.restarts);
  }
  out += "],\"gaps\":[";
  for (std::size_t i = 0; i < r.gaps.size(); ++i) {
    const Gap& g = r.gaps[i];
    out += fmt::format("{}{{\"account\":{},\"region\":{},\"trail\":{},\"from\":{},\"to\":{}}}", i ? "," : "",
                       json_quote(g.account), json_quote(g.region), json_quote(g.trail), json_quote(g.from),
                       json_quote(g.to));
  }
  out += "],\"findings\":[";
  for (std::size_t i = 0; i < r.findings.size(); ++i) {
    const Finding& f = r.findings[i];
    out += fmt::format("{}{{\"path\":{},\"kind\":{},\"detail\":{}}}", i ? "," : "", json_quote(f.path),
                       json_quote(f.kind), json_quote(f.detail));
  }
  out += "]}\n";
  return out;
}

std::string verify_table(const VerifyReport& r, const TerminalStyle& style) {
  std::string out;
  out += fmt::format("digests    {} total, {} valid, {} invalid, {} signature not checked{}\n",
                     r.digests_total, r.digests_valid, r.digests_invalid, r.digests_unverified_signature,
                     r.keys_given ? "" : " (no --public-keys)");
  out +=
      fmt::format("log files  {} total, {} valid, {} modified, {} missing, {} in no digest, {} unreadable\n",
                  r.logs_total, r.logs_valid, r.logs_modified, r.logs_missing, r.logs_not_in_any_digest,
                  r.logs_unreadable);
  for (const Chain& c : r.chains)
    out += fmt::format("chain      {} {} {}{}  {} .. {}  {}\n", c.account, c.region, c.trail,
                       c.backfill ? " (backfill)" : "", c.first, c.last,
                       count_of(static_cast<std::uint64_t>(c.restarts), "restart"));
  for (const Gap& g : r.gaps)
    out += style.paint("gap", Tone::Warning) + fmt::format("        {} {} {}  no digest from {} to {}\n",
                                                           g.account, g.region, g.trail, g.from, g.to);
  for (const Finding& f : r.findings) {
    // Red for what alone makes the archive not intact (exit 1), yellow for the rest (a check not done, a
    // restart, a log in no digest): the exit code's own rule, asked of the finding alone.
    VerifyReport alone;
    alone.findings = {f};
    const Tone tone = verify_exit_code(alone) == 1 ? Tone::Alarm : Tone::Warning;
    out += style.paint(fmt::format("{:<24}", f.kind), tone) + fmt::format(" {}  {}\n", f.path, f.detail);
  }
  switch (verify_exit_code(r)) {
    case 0:
      out += "result     " + style.paint("intact", Tone::Good) + ": nothing checked is wrong\n";
      break;
    case 1:
      out += "result     " + style.paint("NOT intact", Tone::Alarm) + ": see the findings above\n";
      break;
    default:
      out += "result     " + style.paint("not fully checked", Tone::Warning) +
             ": something could not be read (unreadable above)\n";
  }
  return out;
}

}  // namespace trailwatch::verify
