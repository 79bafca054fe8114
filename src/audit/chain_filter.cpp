// The metric filter link: which filter on the log group catches the rule's events, judged by running it over
// the probes for the audited region, and which candidate's alarm chain holds best.
#include <fmt/format.h>

#include <algorithm>
#include <tuple>

#include "audit/audit_remediation.hpp"
#include "audit/chain.hpp"
#include "audit/probe_records.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch::audit {

namespace {

bool is(const JudgedFilter& j, FilterVerdict v) {
  return j.judgement.verdict == v;
}

// The better candidate: its alarm holds, then its notification does, then it is the rule's own filter rather
// than a broader one (a log group with several rules' filters holds broad ones that also catch this rule's
// events).
std::tuple<bool, bool, bool> score(const JudgedFilter& filter, const AlarmTail& tail) {
  return {tail.alarm.holds(), tail.notification && tail.notification->holds(),
          filter.judgement.verdict == FilterVerdict::Equivalent};
}

// The metric the rule's filter publishes to, for a filter and alarm made from scratch.
MetricTransformation rule_metric(const BuiltinRule& rule) {
  MetricTransformation m;
  m.name = std::string(rule.metric_name);
  m.namespace_ = std::string(rule.metric_namespace);
  return m;
}

}  // namespace

bool JudgedFilter::catches() const {
  return judgement.verdict == FilterVerdict::Equivalent || judgement.verdict == FilterVerdict::Broader;
}

// `chain.region` is the audited region, whose events the filter must catch (a multi-region trail's log group
// holds every region's events); the filters and alarms live in the log group's region.
void check_filter(Calls& calls, ChainFacts& chain) {
  const LogGroup& lg = chain.delivery.log_group;
  FilterFacts& f = chain.filter.emplace();
  f.filters = calls.filters(lg.region);
  for (const ConfiguredFilter& c : f.filters)
    if (c.log_group == lg.name)
      f.on_group.push_back(JudgedFilter{&c, judge_filter(c, chain.region, chain.account, *chain.rule), {}});
  // Only a filter that fails is judged against the other rules, so a passing chain costs nothing more.
  for (JudgedFilter& j : f.on_group) {
    if (!is(j, FilterVerdict::Narrower)) continue;
    for (const BuiltinRule& other : builtin_rules()) {
      if (&other == chain.rule) continue;
      if (judge_filter(*j.filter, chain.region, chain.account, other).verdict != FilterVerdict::Equivalent)
        continue;
      j.other_rule = other.id;
      j.judgement.verdict = FilterVerdict::Unrelated;
      break;
    }
  }
  const bool any_catches =
      std::any_of(f.on_group.begin(), f.on_group.end(), [](const JudgedFilter& j) { return j.catches(); });

  // Candidates: the filters that catch; failing that, the narrower ones, which can be fixed in place while
  // their alarm chain is kept.
  std::vector<std::pair<const JudgedFilter*, AlarmTail>> candidates;
  bool alarms_read = false;
  for (const JudgedFilter& j : f.on_group) {
    if (any_catches ? !j.catches() : !is(j, FilterVerdict::Narrower)) continue;
    if (!alarms_read) {
      f.alarms = calls.alarms(lg.region);
      alarms_read = true;
    }
    candidates.emplace_back(&j, check_alarm(calls, lg.region, j, f.alarms));
  }
  std::pair<const JudgedFilter*, AlarmTail>* best = nullptr;
  for (auto& c : candidates)
    if (!best || score(*c.first, c.second) > score(*best->first, best->second)) best = &c;

  const auto narrower = std::count_if(f.on_group.begin(), f.on_group.end(),
                                      [](const JudgedFilter& j) { return is(j, FilterVerdict::Narrower); });
  f.unjudged =
      static_cast<std::size_t>(std::count_if(f.on_group.begin(), f.on_group.end(), [](const JudgedFilter& j) {
        return is(j, FilterVerdict::Unparsable);
      }));
  f.outcome = any_catches          ? FilterOutcome::Catches
              : narrower > 0       ? FilterOutcome::Narrower
              : f.on_group.empty() ? FilterOutcome::NoFilter
                                   : FilterOutcome::NoneCatches;
  if (!f.holds()) {
    // Fixing an existing filter in place keeps the alarms already on its metric.
    auto unjudged = std::find_if(f.on_group.begin(), f.on_group.end(),
                                 [](const JudgedFilter& j) { return is(j, FilterVerdict::Unparsable); });
    f.fixable = best ? best->first->filter : unjudged != f.on_group.end() ? unjudged->filter : nullptr;
  }
  if (best) {
    f.chosen = best->first;
    chain.alarm = std::move(best->second.alarm);
    chain.notification = std::move(best->second.notification);
  }
}

void filter_findings(const ChainFacts& chain, std::vector<Finding>& out) {
  const FilterFacts& f = *chain.filter;
  const LogGroup& lg = chain.delivery.log_group;
  switch (f.outcome) {
    case FilterOutcome::Catches: {
      const JudgedFilter& c = *f.chosen;
      if (is(c, FilterVerdict::Equivalent))
        add_finding(out, Link::Filter, CheckStatus::Pass,
                    fmt::format("metric filter {} on log group {} ({}) catches exactly the rule's events: "
                                "equivalent",
                                c.filter->name, lg.name, lg.region),
                    {lg.arn});
      else {
        add_finding(out, Link::Filter, CheckStatus::Pass,
                    fmt::format("metric filter {} on log group {} ({}) catches the rule's events and more: "
                                "broader (also {}); its alarm fires on those too",
                                c.filter->name, lg.name, lg.region, c.judgement.extra()),
                    {lg.arn});
        // Broader still monitors the control, but its alarms are noise a team learns to ignore: say so.
        add_finding(
            out, Link::Filter, CheckStatus::Warn,
            fmt::format(
                "metric filter {} on log group {} ({}) is broader than {}: it also catches events the "
                "control is not about ({})",
                c.filter->name, lg.name, lg.region, chain.rule->id, c.judgement.extra()),
            {lg.arn});
      }
      if (!c.judgement.error.empty())
        add_finding(out, Link::Filter, CheckStatus::Warn,
                    fmt::format("metric filter {} on log group {} ({}): {}", c.filter->name, lg.name,
                                lg.region, c.judgement.error),
                    {lg.arn});
      break;
    }
    case FilterOutcome::Narrower:
      for (const JudgedFilter& j : f.on_group)
        if (is(j, FilterVerdict::Narrower))
          add_finding(
              out, Link::Filter, CheckStatus::Fail,
              fmt::format("metric filter {} on log group {} ({}) is narrower than the rule: it misses {}",
                          j.filter->name, lg.name, lg.region, j.judgement.missed()),
              {lg.arn});
      break;
    case FilterOutcome::NoFilter:
      add_finding(out, Link::Filter, CheckStatus::Fail,
                  fmt::format("log group {} ({}) has no metric filter", lg.name, lg.region), {lg.arn});
      break;
    case FilterOutcome::NoneCatches:
      add_finding(out, Link::Filter, CheckStatus::Fail,
                  fmt::format("no metric filter on log group {} ({}) is seen to catch {} ({} there{})",
                              lg.name, lg.region, rule_events_text(*chain.rule),
                              plural(f.on_group.size(), "filter"), f.unjudged > 0 ? ", some not judged" : ""),
                  {lg.arn});
      break;
  }
  for (const JudgedFilter& j : f.on_group)
    if (is(j, FilterVerdict::Unparsable))
      add_finding(out, Link::Filter, CheckStatus::Warn,
                  fmt::format("metric filter {} on log group {} ({}) was not judged: {}", j.filter->name,
                              lg.name, lg.region, j.judgement.error),
                  {lg.arn});
}

void filter_fixes(const ChainFacts& chain, std::vector<std::string>& out) {
  const FilterFacts& f = *chain.filter;
  if (f.holds()) return;
  const LogGroup& lg = chain.delivery.log_group;
  if (f.fixable) {
    out.push_back(
        fix::put_metric_filter(lg.region, lg.name, f.fixable->name, f.fixable->metric, *chain.rule));
    return;
  }
  out.push_back(fix::put_metric_filter(lg.region, lg.name, "", rule_metric(*chain.rule), *chain.rule));
  out.push_back(fix::put_metric_alarm(lg.region, rule_metric(*chain.rule), "", "", *chain.rule));
}

}  // namespace trailwatch::audit
