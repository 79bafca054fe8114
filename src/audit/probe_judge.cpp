// A filter is judged by what it does, not by how it is written: its pattern and transformation run over the
// probe records with the same engine `scan` uses, so whitespace, quoting and clause order cannot matter.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <map>
#include <memory>

#include "audit/probe_judge.hpp"
#include "audit/probe_records.hpp"
#include "trailwatch/scan.hpp"

namespace trailwatch::audit {

namespace {

// "ScheduleKeyDeletion (all 6 probes)" or "DisableKey (DisableKey by root, AccessDenied)", per event name; an
// event name with one probe is named by its label ("RunInstances by an IAM user,
// Client.UnauthorizedOperation").
std::string summarize(const std::vector<ProbeOutcome>& outcomes, bool positive, bool matched) {
  std::map<std::string, std::pair<std::vector<std::string>, int>> by_name;  // name -> (labels, probes)
  std::vector<std::string> order;
  for (const ProbeOutcome& o : outcomes) {
    if (o.probe->positive != positive) continue;
    std::string name = o.probe->event_name;
    if (!positive && o.probe->label.find(" from ") != std::string::npos)
      name = o.probe->label.substr(0, o.probe->label.find(" by "));
    if (!by_name.contains(name)) order.push_back(name);
    auto& [labels, total] = by_name[name];
    ++total;
    if (o.matched == matched) labels.push_back(o.probe->label);
  }
  std::string out;
  for (const std::string& name : order) {
    const auto& [labels, total] = by_name[name];
    if (labels.empty()) continue;
    if (!out.empty()) out += "; ";
    if (total == 1)
      out += labels.front();
    else if (static_cast<int>(labels.size()) == total)
      out += fmt::format("{} (all {} probes)", name, total);
    else
      out += fmt::format("{} ({})", name, fmt::join(labels, ", "));
  }
  return out;
}

// The probe as the audited region and account would log it: CloudTrail sends every region's events of a
// multi-region trail to one log group, so a filter that pins $.awsRegion (or $.recipientAccountId) to another
// value must not pass for this region.
std::string localized(const std::string& record, std::string_view region, std::string_view account) {
  auto plain = [](std::string_view text, bool digits_only) {
    if (text.empty()) return false;
    for (char c : text) {
      bool ok = (c >= '0' && c <= '9') || (!digits_only && ((c >= 'a' && c <= 'z') || c == '-'));
      if (!ok) return false;
    }
    return true;
  };
  std::string out = record;
  auto replace_all = [&](std::string_view from, std::string_view to) {
    for (std::size_t pos = out.find(from); pos != std::string::npos; pos = out.find(from, pos + to.size()))
      out.replace(pos, from.size(), to);
  };
  if (plain(region, false)) replace_all(kProbeRegion, region);
  if (plain(account, true)) replace_all(kProbeAccount, account);
  return out;
}

}  // namespace

std::string_view to_string(FilterVerdict v) {
  switch (v) {
    case FilterVerdict::Equivalent:
      return "equivalent";
    case FilterVerdict::Broader:
      return "broader";
    case FilterVerdict::Narrower:
      return "narrower";
    case FilterVerdict::Unrelated:
      return "unrelated";
    case FilterVerdict::Unparsable:
      return "unparsable";
  }
  return "?";
}

std::string FilterJudgement::missed() const {
  return summarize(outcomes, true, false);
}

std::string FilterJudgement::extra() const {
  return summarize(outcomes, false, true);
}

FilterJudgement judge_filter(const ConfiguredFilter& filter, std::string_view region,
                             std::string_view account, const BuiltinRule& rule) {
  FilterJudgement j;
  auto plan_for = [](const ConfiguredFilter& f, Pattern pattern, MetricTransformation metric) {
    ScanSpec spec;
    spec.filters.push_back(MetricFilter{f.name, std::move(pattern), std::move(metric)});
    return std::make_unique<ScanPlan>(std::move(spec));
  };
  std::unique_ptr<ScanPlan> plan;
  try {
    plan = plan_for(filter, Pattern::parse(filter.pattern), filter.metric);
  } catch (const PatternError& e) {
    j.verdict = FilterVerdict::Unparsable;
    j.error = e.what();
    return j;
  } catch (const PlanError& e) {
    // The pattern is still judged, with the value 1 a usable transformation would publish.
    j.error = e.what();
    MetricTransformation counting;
    counting.name = filter.metric.name;
    plan = plan_for(filter, Pattern::parse(filter.pattern), counting);
  }
  j.dimension_names = plan->engine().compiled().front().dimension_names;

  EventEvaluator evaluator(*plan);
  bool all_positives = true;
  bool any_positive = false;
  bool any_negative = false;
  for (const Probe& probe : probes(rule)) {
    const MetricEngine::EventSample& sample =
        evaluator.evaluate(localized(probe.record, region, account)).front();
    j.outcomes.push_back(ProbeOutcome{&probe, sample.matched, sample.value, sample.dimensions});
    if (probe.positive) {
      all_positives = all_positives && sample.matched;
      any_positive = any_positive || sample.matched;
    } else {
      any_negative = any_negative || sample.matched;
    }
  }
  if (!any_positive)
    j.verdict = FilterVerdict::Unrelated;
  else if (!all_positives)
    j.verdict = FilterVerdict::Narrower;
  else
    j.verdict = any_negative ? FilterVerdict::Broader : FilterVerdict::Equivalent;
  return j;
}

}  // namespace trailwatch::audit
