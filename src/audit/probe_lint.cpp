// `rules --lint` judges filters exactly as `audit` does (probe_judge.cpp): the same probes, the same engine,
// the same verdicts, so a filter that lints PASS is the filter the audit passes.
#include "trailwatch/probe_lint.hpp"

#include <tuple>

#include "audit/probe_judge.hpp"

namespace trailwatch {

namespace {

ProbeLint from_judgement(const audit::FilterJudgement& j) {
  ProbeLint out;
  out.verdict = std::string(audit::to_string(j.verdict));
  for (const audit::ProbeOutcome& o : j.outcomes) {
    if (o.probe->positive && !o.matched) out.missed.push_back(o.probe->label);
    if (!o.probe->positive && o.matched) out.caught.push_back(o.probe->label);
  }
  out.missed_summary = j.missed();
  out.caught_summary = j.extra();
  out.error = j.error;
  switch (j.verdict) {
    case audit::FilterVerdict::Equivalent:
      out.status = ProbeLintStatus::Pass;
      break;
    case audit::FilterVerdict::Broader:
      out.status = ProbeLintStatus::Warn;
      break;
    case audit::FilterVerdict::Narrower:
    case audit::FilterVerdict::Unrelated:
    case audit::FilterVerdict::Unparsable:
      out.status = ProbeLintStatus::Fail;
      break;
  }
  return out;
}

// How well a filter stands for a rule: equivalent, then broader, then narrower by the share of must-match
// probes it catches; unrelated and unparsable not at all (nullopt).
std::optional<std::tuple<int, double>> fit(const audit::FilterJudgement& j) {
  int positives = 0;
  int caught = 0;
  for (const audit::ProbeOutcome& o : j.outcomes)
    if (o.probe->positive) {
      ++positives;
      caught += o.matched ? 1 : 0;
    }
  switch (j.verdict) {
    case audit::FilterVerdict::Equivalent:
      return std::tuple{3, 1.0};
    case audit::FilterVerdict::Broader:
      return std::tuple{2, 1.0};
    case audit::FilterVerdict::Narrower:
      return std::tuple{1, positives > 0 ? static_cast<double>(caught) / positives : 0.0};
    case audit::FilterVerdict::Unrelated:
    case audit::FilterVerdict::Unparsable:
      break;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(ProbeLintStatus s) {
  switch (s) {
    case ProbeLintStatus::Pass:
      return "PASS";
    case ProbeLintStatus::Warn:
      return "WARN";
    case ProbeLintStatus::Fail:
      return "FAIL";
    case ProbeLintStatus::Skipped:
      return "SKIPPED";
  }
  return "?";
}

std::string_view to_string(RuleTie t) {
  switch (t) {
    case RuleTie::Builtin:
      return "built-in";
    case RuleTie::MetricName:
      return "metric name";
    case RuleTie::Behaviour:
      return "behaviour";
    case RuleTie::None:
      return "none";
  }
  return "?";
}

ProbeLint lint_builtin_rule(const BuiltinRule& rule) {
  ConfiguredFilter f;
  f.name = std::string(rule.id);
  f.pattern = std::string(rule.pattern);
  f.metric.name = std::string(rule.metric_name);
  f.metric.namespace_ = std::string(rule.metric_namespace);
  ProbeLint out = from_judgement(audit::judge_filter(f, {}, {}, rule));
  out.rule_id = std::string(rule.id);
  out.tie = RuleTie::Builtin;
  return out;
}

ProbeLint lint_configured_filter(const ConfiguredFilter& filter) {
  // The metric name is the filter's declaration of what it monitors (CIS and `trailwatch rules` give each
  // control's); it is the one tie that holds for a filter that misses most of its rule's events.
  const BuiltinRule* rule = nullptr;
  RuleTie tie = RuleTie::None;
  for (const BuiltinRule& r : builtin_rules())
    if (filter.metric.name == r.metric_name) {
      rule = &r;
      tie = RuleTie::MetricName;
      break;
    }
  std::optional<audit::FilterJudgement> judged;
  if (!rule) {
    std::optional<std::tuple<int, double>> best;
    for (const BuiltinRule& r : builtin_rules()) {
      audit::FilterJudgement j = audit::judge_filter(filter, {}, {}, r);
      if (j.verdict == audit::FilterVerdict::Unparsable) {
        judged = std::move(j);  // no rule can be told: keep the parser's message
        break;
      }
      std::optional<std::tuple<int, double>> score = fit(j);
      if (score && (!best || *score > *best)) {  // strictly better: the pack's order breaks ties
        best = score;
        rule = &r;
        judged = std::move(j);
      }
    }
    if (rule) tie = RuleTie::Behaviour;
  }
  ProbeLint out;
  if (rule) {
    out = from_judgement(judged ? *judged : audit::judge_filter(filter, {}, {}, *rule));
    out.rule_id = std::string(rule->id);
  } else if (judged) {  // unparsable, and its metric names no rule
    out.verdict = std::string(audit::to_string(judged->verdict));
    out.error = judged->error;
    out.status = ProbeLintStatus::Warn;
  }
  out.tie = tie;
  out.filter = filter.name;
  out.log_group = filter.log_group;
  return out;
}

}  // namespace trailwatch
