// Single events go through the same records layer and the same MetricEngine::evaluate as a scan's records,
// so what test-pattern, the audit's probes and the rule lint say is what a scan would count.
#include <string>

#include "trailwatch/scan.hpp"

namespace trailwatch {

namespace {

// Hands the fields of the one record an event holds to the evaluation; an event that is not a JSON object
// never calls it.
class OneRecordSink : public RecordSink {
 public:
  OneRecordSink(const MetricEngine& engine, std::string_view message, ExtractedFields& extracted,
                std::vector<MetricEngine::EventSample>& samples)
      : engine_(engine), message_(message), extracted_(extracted), samples_(samples) {}
  void on_record(const RecordView& record) override {
    called = true;
    for (std::size_t i = 0; i < samples_.size(); ++i)
      engine_.evaluate(i, EventView{&record.fields, message_}, extracted_, samples_[i]);
  }
  bool called = false;

 private:
  const MetricEngine& engine_;
  std::string_view message_;
  ExtractedFields& extracted_;
  std::vector<MetricEngine::EventSample>& samples_;
};

}  // namespace

struct EventEvaluator::Impl {
  explicit Impl(const ScanPlan& p) : plan(p), reader(p.fields()), samples(p.filters().size()) {}
  const ScanPlan& plan;
  RecordReader reader;
  ExtractedFields extracted;
  std::vector<MetricEngine::EventSample> samples;
  std::string padded;
};

EventEvaluator::EventEvaluator(const ScanPlan& plan) : impl_(std::make_unique<Impl>(plan)) {}
EventEvaluator::~EventEvaluator() = default;

const std::vector<MetricEngine::EventSample>& EventEvaluator::evaluate(std::string_view event) {
  Impl& m = *impl_;
  const MetricEngine& engine = m.plan.engine();
  for (MetricEngine::EventSample& sample : m.samples) sample = {};
  m.padded.assign(event).append(kRecordPadding, '\0');
  OneRecordSink sink(engine, event, m.extracted, m.samples);
  ReadResult read = m.reader.read(std::string_view(m.padded.data(), event.size()), sink);
  // Not one JSON object (text, an array, two records on a line): only text patterns can match it.
  if (!sink.called || read.records != 1)
    for (std::size_t i = 0; i < m.samples.size(); ++i)
      engine.evaluate(i, EventView{nullptr, event}, m.extracted, m.samples[i]);
  return m.samples;
}

std::uint64_t for_each_event_line(std::istream& in,
                                  const std::function<void(std::uint64_t, std::string_view)>& on_event) {
  std::uint64_t number = 0;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos)
      continue;  // TestMetricFilter takes no empty event
    on_event(++number, line);
  }
  return number;
}

}  // namespace trailwatch
