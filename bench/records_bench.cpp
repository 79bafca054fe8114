// Micro-benchmarks of the hot path: inflate, record iteration with field extraction, pattern evaluation.
// Input is a synthetic CloudTrail-like envelope built in memory (bench/ has no data files), so the figures
// are comparable between runs on one machine, not with real archives.
#include <benchmark/benchmark.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "gzip_fixture.hpp"
#include "trailwatch/ingest.hpp"
#include "trailwatch/metric.hpp"
#include "trailwatch/pattern.hpp"
#include "trailwatch/records.hpp"
#include "trailwatch/rules.hpp"

namespace trailwatch {
namespace {

// `matching`: every 100th record is a DisableKey from kms; otherwise every 100th is a kms Decrypt (the source
// is everywhere in real logs, the names are not).
std::string make_envelope(std::size_t records, bool matching) {
  std::string s = "{\"Records\":[";
  for (std::size_t i = 0; i < records; ++i) {
    if (i > 0) s += ',';
    bool kms = i % 100 == 0;
    s +=
        R"({"eventVersion":"1.09","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLE:session",)"
        R"("arn":"arn:aws:sts::111122223333:assumed-role/app/session","accountId":"111122223333",)"
        R"("accessKeyId":"ASIAEXAMPLE","sessionContext":{"attributes":{"creationDate":"2024-03-01T00:00:00Z",)"
        R"("mfaAuthenticated":"false"}}},"eventTime":"2024-03-01T00:0)";
    s += std::to_string(i % 10);
    s += R"(:00Z","eventSource":")";
    s += kms ? "kms.amazonaws.com" : "s3.amazonaws.com";
    s += R"(","eventName":")";
    s += kms ? (matching ? "DisableKey" : "Decrypt") : "GetObject";
    s +=
        R"(","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"aws-sdk-go/1.44",)"
        R"("requestParameters":{"bucketName":"example","key":"data/part-0001.parquet"},"responseElements":null,)"
        R"("requestID":"0123456789ABCDEF","eventID":"6f9d4c7e-0000-4000-8000-000000000000","readOnly":true,)"
        R"("eventType":"AwsApiCall","managementEvent":false,"recipientAccountId":"111122223333"})";
  }
  return s + "]}";
}

using testing_support::gzip;

void BM_Inflate(benchmark::State& state) {
  std::string json = make_envelope(5000, true);
  std::string gz = gzip(json);
  BufferLoader loader(kRecordPadding);
  for (auto _ : state) benchmark::DoNotOptimize(loader.load_bytes("x.json.gz", gz).data.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_Inflate);

struct CountingSink : RecordSink {
  std::uint64_t n = 0;
  void on_record(const RecordView&) override { ++n; }
};

// The default rule bound to a plan, over a padded in-memory envelope, as a scan worker would hold them.
// `matching`: as make_envelope's. `prefilter` is what the rule yields, as a scan would use it.
struct ScanFixture {
  explicit ScanFixture(bool matching = true)
      : json(make_envelope(5000, matching) + std::string(kRecordPadding, '\0')) {
    if (!prefilter) throw std::logic_error("the default rule gives no literal prefilter");
  }
  std::string json;
  std::string_view data{json.data(), json.size() - kRecordPadding};
  MetricEngine engine{default_rule(), {}, 300};
  const FieldPlan& plan = engine.fields();
  std::optional<LiteralPrefilter> prefilter = engine.literal_prefilter();

  static std::vector<MetricFilter> default_rule() {
    const BuiltinRule* rule = find_builtin_rule("kms-cmk-disable-or-delete");
    MetricTransformation metric;
    metric.name = std::string(rule->metric_name);
    std::vector<MetricFilter> f;
    f.push_back(MetricFilter{std::string(rule->id), Pattern::parse(rule->pattern), metric});
    return f;
  }
};

void BM_ReadRecords(benchmark::State& state) {
  ScanFixture f;
  RecordReader reader(f.plan);
  CountingSink sink;
  for (auto _ : state) benchmark::DoNotOptimize(reader.read(f.data, sink).records);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.data.size()));
  state.SetLabel(reader.kernel());
}
BENCHMARK(BM_ReadRecords);

void BM_ScanRecords(benchmark::State& state) {
  ScanFixture f;
  RecordReader reader(f.plan);
  MetricAggregator aggregator(f.engine, false);
  for (auto _ : state) {
    aggregator.begin_file();
    benchmark::DoNotOptimize(reader.read(f.data, aggregator).records);
    aggregator.commit_file();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.data.size()));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 5000));
}
BENCHMARK(BM_ScanRecords);

// The same scan with the prefilter the default rule yields: first arg 0 a buffer with a match every 100
// records (each candidate is read again on its own), 1 a buffer where no record can match (counted, not
// extracted); second arg 1 with trailwatch's envelope scanner (the default), 0 with simdjson's structural
// index and skip loop instead.
void BM_ScanRecordsPrefiltered(benchmark::State& state) {
  ScanFixture f(state.range(0) == 0);
  RecordReader reader(f.plan, {}, &*f.prefilter);
  reader.use_envelope_scanner(state.range(1) == 1);
  MetricAggregator aggregator(f.engine, false);
  for (auto _ : state) {
    aggregator.begin_file();
    benchmark::DoNotOptimize(reader.read(f.data, aggregator).records);
    aggregator.commit_file();
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.data.size()));
}
BENCHMARK(BM_ScanRecordsPrefiltered)->ArgsProduct({{0, 1}, {0, 1}});

// The presence test of --fast on a buffer where no record can match: the whole cost --fast adds to inflating.
void BM_MayMatchNoCandidate(benchmark::State& state) {
  ScanFixture f(false);
  RecordReader reader(f.plan, {}, &*f.prefilter);
  for (auto _ : state) benchmark::DoNotOptimize(reader.may_match(f.data));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * f.data.size()));
  state.SetLabel(reader.kernel());
}
BENCHMARK(BM_MayMatchNoCandidate);

void BM_PatternMatch(benchmark::State& state) {
  FieldPlan plan;
  Pattern pattern = Pattern::parse(find_builtin_rule("kms-cmk-disable-or-delete")->pattern);
  pattern.bind(plan);
  FieldValues values(plan.size());
  SelectorStep source{SelectorStep::Kind::Member, "eventSource", 0};
  SelectorStep name{SelectorStep::Kind::Member, "eventName", 0};
  bool matching = state.range(0) != 0;
  values.add(plan.add({source}), {JsonKind::String, matching ? "kms.amazonaws.com" : "s3.amazonaws.com"});
  values.add(plan.add({name}), {JsonKind::String, matching ? "ScheduleKeyDeletion" : "GetObject"});
  for (auto _ : state) benchmark::DoNotOptimize(pattern.matches(values));
}
BENCHMARK(BM_PatternMatch)->Arg(0)->Arg(1);

}  // namespace
}  // namespace trailwatch
