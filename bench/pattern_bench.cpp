// The pattern engine alone, per rule of the CIS pack: the records of the bundled sample archives (realistic
// CloudTrail JSON) are read once, their fields copied into memory, and each benchmark evaluates one rule's
// pattern on every record, so that its records/s is the speed of filter evaluation without inflating, reading
// or extracting. BM_CisPack runs all 15 on every record, as `--rule cis` does.
#include <benchmark/benchmark.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "trailwatch/ingest.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch {
namespace {

// Every record of the sample, its field values owned here (a reader's values live until its next record).
struct Records {
  FieldPlan plan;
  std::vector<Pattern> patterns;  // the CIS pack's, bound to `plan`
  std::deque<std::string> texts;  // the values' text
  std::vector<FieldValues> fields;
  std::vector<std::string_view> messages;
};

class CopyingSink : public RecordSink {
 public:
  explicit CopyingSink(Records& out) : out_(out) {}
  void on_record(const RecordView& record) override {
    FieldValues copy(out_.plan.size());
    for (SelectorId id = 0; id < out_.plan.size(); ++id)
      for (const JsonValue& value : record.fields.get(id))
        copy.add(id, JsonValue{value.kind, out_.texts.emplace_back(value.text)});
    out_.fields.push_back(std::move(copy));
    out_.messages.push_back(out_.texts.emplace_back(record.raw));
  }

 private:
  Records& out_;
};

const Records& records() {
  static const Records r = [] {
    Records out;
    for (const BuiltinRule& rule : builtin_rules())
      out.patterns.push_back(Pattern::parse(std::string(rule.pattern)));
    for (Pattern& pattern : out.patterns) pattern.bind(out.plan);
    RecordReader reader(out.plan);
    BufferLoader loader(kRecordPadding);
    CopyingSink sink(out);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(TW_TESTDATA "/sample")) {
      if (entry.path().extension() != ".gz") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      const std::string gz{std::istreambuf_iterator<char>(in), {}};
      reader.read(loader.load_bytes(entry.path().string(), gz).data, sink);
    }
    return out;
  }();
  return r;
}

void BM_CisRule(benchmark::State& state) {
  const Records& r = records();
  const auto index = static_cast<std::size_t>(state.range(0));
  const Pattern& pattern = r.patterns[index];
  std::size_t matched = 0;
  for (auto _ : state)
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      matched += pattern.matches(EventView{&r.fields[i], r.messages[i]}) ? 1 : 0;
  benchmark::DoNotOptimize(matched);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * r.fields.size()));
  state.SetLabel(std::string(builtin_rules()[index].id));
}
BENCHMARK(BM_CisRule)->DenseRange(0, 14);

void BM_CisPack(benchmark::State& state) {
  const Records& r = records();
  std::size_t matched = 0;
  for (auto _ : state)
    for (std::size_t i = 0; i < r.fields.size(); ++i)
      for (const Pattern& pattern : r.patterns)
        matched += pattern.matches(EventView{&r.fields[i], r.messages[i]}) ? 1 : 0;
  benchmark::DoNotOptimize(matched);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * r.fields.size()));
}
BENCHMARK(BM_CisPack);

}  // namespace
}  // namespace trailwatch
