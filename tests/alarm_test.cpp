#include "trailwatch/alarm.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace trailwatch {
namespace {

// ---------------------------------------------------------------------------------------------------------------
// Settings: spellings, validation, threshold comparison.

TEST(AlarmSettingsTest, ComparisonOperatorSpellingsRoundTrip) {
  const std::vector<std::pair<ComparisonOperator, std::string>> cases = {
      {ComparisonOperator::GreaterThanOrEqualToThreshold, "GreaterThanOrEqualToThreshold"},
      {ComparisonOperator::GreaterThanThreshold, "GreaterThanThreshold"},
      {ComparisonOperator::LessThanThreshold, "LessThanThreshold"},
      {ComparisonOperator::LessThanOrEqualToThreshold, "LessThanOrEqualToThreshold"},
  };
  for (const auto& [op, text] : cases) {
    EXPECT_EQ(to_string(op), text);
    EXPECT_EQ(parse_comparison_operator(text), op) << text;
  }
}

TEST(AlarmSettingsTest, ComparisonOperatorRejectsOtherSpellings) {
  for (const char* text : {"", "GreaterThan", "greaterThanThreshold", "GreaterThanThreshold ",
                           ">=", "LessThanLowerOrGreaterThanUpperThreshold"}) {
    EXPECT_EQ(parse_comparison_operator(text), std::nullopt) << text;
  }
}

TEST(AlarmSettingsTest, TreatMissingDataSpellingsRoundTrip) {
  const std::vector<std::pair<TreatMissingData, std::string>> cases = {
      {TreatMissingData::Missing, "missing"},
      {TreatMissingData::NotBreaching, "notBreaching"},
      {TreatMissingData::Breaching, "breaching"},
      {TreatMissingData::Ignore, "ignore"},
  };
  for (const auto& [t, text] : cases) {
    EXPECT_EQ(to_string(t), text);
    EXPECT_EQ(parse_treat_missing_data(text), t) << text;
  }
}

TEST(AlarmSettingsTest, TreatMissingDataRejectsOtherSpellings) {
  for (const char* text : {"", "Missing", "notbreaching", "not-breaching", "BREACHING", "ignored"}) {
    EXPECT_EQ(parse_treat_missing_data(text), std::nullopt) << text;
  }
}

TEST(AlarmSettingsTest, AlarmStateSpellings) {
  EXPECT_EQ(to_string(AlarmState::InsufficientData), "INSUFFICIENT_DATA");
  EXPECT_EQ(to_string(AlarmState::Ok), "OK");
  EXPECT_EQ(to_string(AlarmState::Alarm), "ALARM");
}

TEST(AlarmSettingsTest, DefaultsAreValid) {
  EXPECT_EQ(AlarmSettings{}.validate(), "");
}

TEST(AlarmSettingsTest, AnyPositivePeriodIsValid) {
  for (std::int64_t period : {1, 7, 10, 60, 86400}) {
    AlarmSettings s;
    s.period = period;
    EXPECT_EQ(s.validate(), "") << period;
  }
}

// Each invalid setting must be refused with a one-line reason that names the flag to fix.
void ExpectRefused(const AlarmSettings& s, const std::string& flag) {
  const std::string reason = s.validate();
  EXPECT_NE(reason.find(flag), std::string::npos) << reason;
  EXPECT_EQ(reason.find('\n'), std::string::npos) << reason;
}

TEST(AlarmSettingsTest, RefusesNonPositivePeriod) {
  AlarmSettings s;
  s.period = 0;
  ExpectRefused(s, "--period");
  s.period = -300;
  ExpectRefused(s, "--period");
}

TEST(AlarmSettingsTest, RefusesZeroEvaluationPeriods) {
  AlarmSettings s;
  s.evaluation_periods = 0;
  s.datapoints_to_alarm = 0;
  ExpectRefused(s, "--evaluation-periods");
}

TEST(AlarmSettingsTest, RefusesDatapointsToAlarmOutsideOneToN) {
  AlarmSettings s;
  s.evaluation_periods = 3;
  s.evaluation_range_periods = 5;
  s.datapoints_to_alarm = 0;
  ExpectRefused(s, "--datapoints-to-alarm");
  s.datapoints_to_alarm = 4;
  ExpectRefused(s, "--datapoints-to-alarm");
  s.datapoints_to_alarm = 3;
  EXPECT_EQ(s.validate(), "");
  s.datapoints_to_alarm = 1;
  EXPECT_EQ(s.validate(), "");
}

TEST(AlarmSettingsTest, RefusesEvaluationRangeNotLongerThanN) {
  AlarmSettings s;
  s.evaluation_periods = 3;
  s.datapoints_to_alarm = 3;
  s.evaluation_range_periods = 3;
  ExpectRefused(s, "--evaluation-range-periods");
  s.evaluation_range_periods = 2;
  ExpectRefused(s, "--evaluation-range-periods");
  s.evaluation_range_periods = 4;
  EXPECT_EQ(s.validate(), "");
}

TEST(AlarmSettingsTest, RefusesNonFiniteThreshold) {
  AlarmSettings s;
  s.threshold = std::numeric_limits<double>::quiet_NaN();
  ExpectRefused(s, "--threshold");
  s.threshold = std::numeric_limits<double>::infinity();
  ExpectRefused(s, "--threshold");
  s.threshold = -std::numeric_limits<double>::infinity();
  ExpectRefused(s, "--threshold");
}

TEST(AlarmSettingsTest, BreachesPerOperator) {
  AlarmSettings s;
  s.threshold = 1;
  s.comparison = ComparisonOperator::GreaterThanOrEqualToThreshold;
  EXPECT_FALSE(breaches(s, 0.5));
  EXPECT_TRUE(breaches(s, 1));
  EXPECT_TRUE(breaches(s, 1.5));
  s.comparison = ComparisonOperator::GreaterThanThreshold;
  EXPECT_FALSE(breaches(s, 0.5));
  EXPECT_FALSE(breaches(s, 1));
  EXPECT_TRUE(breaches(s, 1.5));
  s.comparison = ComparisonOperator::LessThanThreshold;
  EXPECT_TRUE(breaches(s, 0.5));
  EXPECT_FALSE(breaches(s, 1));
  EXPECT_FALSE(breaches(s, 1.5));
  s.comparison = ComparisonOperator::LessThanOrEqualToThreshold;
  EXPECT_TRUE(breaches(s, 0.5));
  EXPECT_TRUE(breaches(s, 1));
  EXPECT_FALSE(breaches(s, 1.5));
}

// ---------------------------------------------------------------------------------------------------------------
// One evaluation: every cell of the two tables in docs/alarm-semantics.md, "Documented cases".

enum class Expect { InsufficientData, Ok, Alarm, Previous };

struct TableRow {
  int n;
  int m;
  const char* range;  // as in the doc, oldest first: '0' not breaching, 'X' breaching, '-' missing
  Expect missing;
  Expect not_breaching;
  Expect breaching;
  Expect ignore;
};

constexpr Expect kI = Expect::InsufficientData;
constexpr Expect kO = Expect::Ok;
constexpr Expect kA = Expect::Alarm;
constexpr Expect kPrev = Expect::Previous;

constexpr TableRow kDocumentedRows[] = {
    // N = 3, M = 3
    {3, 3, "0 - X - X", kO, kO, kO, kO},
    {3, 3, "0 - - - -", kO, kO, kO, kO},
    {3, 3, "- - - - -", kI, kO, kA, kPrev},
    {3, 3, "0 X X - X", kA, kA, kA, kA},
    {3, 3, "- - - - X", kI, kO, kA, kPrev},
    {3, 3, "X - - - -", kA, kO, kA, kPrev},
    // N = 3, M = 2
    {3, 2, "0 - X - X", kA, kA, kA, kA},
    {3, 2, "0 0 X 0 X", kA, kA, kA, kA},
    {3, 2, "0 - X - -", kO, kO, kA, kO},
    {3, 2, "- - - - 0", kO, kO, kA, kO},
    {3, 2, "- - - - X", kI, kO, kA, kPrev},
};

struct TableCell {
  TableRow row;
  TreatMissingData treat;
  Expect expect;
};

std::vector<TableCell> DocumentedCells() {
  std::vector<TableCell> cells;
  for (const TableRow& row : kDocumentedRows) {
    cells.push_back({row, TreatMissingData::Missing, row.missing});
    cells.push_back({row, TreatMissingData::NotBreaching, row.not_breaching});
    cells.push_back({row, TreatMissingData::Breaching, row.breaching});
    cells.push_back({row, TreatMissingData::Ignore, row.ignore});
  }
  return cells;
}

// e.g. "N3_M2_range_0mXmm_notBreaching"; 'm' stands for a missing period.
std::string CellName(const testing::TestParamInfo<TableCell>& info) {
  const TableCell& c = info.param;
  std::string name = "N";
  name += std::to_string(c.row.n);
  name += "_M";
  name += std::to_string(c.row.m);
  name += "_range_";
  for (const char* p = c.row.range; *p != '\0'; ++p) {
    if (*p == '0' || *p == 'X') name += *p;
    if (*p == '-') name += 'm';
  }
  name += "_";
  name += to_string(c.treat);
  return name;
}

std::vector<RangePoint> ParseRange(const char* text) {
  std::vector<RangePoint> range;
  for (const char* p = text; *p != '\0'; ++p) {
    if (*p == '0') range.emplace_back(0.0);
    if (*p == 'X') range.emplace_back(2.0);
    if (*p == '-') range.emplace_back(std::nullopt);
  }
  return range;
}

class DocumentedTableTest : public testing::TestWithParam<TableCell> {};

TEST_P(DocumentedTableTest, GivesTheDocumentedState) {
  const TableCell& c = GetParam();
  AlarmSettings s;
  s.threshold = 1;
  s.comparison = ComparisonOperator::GreaterThanOrEqualToThreshold;
  s.evaluation_periods = c.row.n;
  s.datapoints_to_alarm = c.row.m;
  s.evaluation_range_periods = 5;
  s.treat_missing = c.treat;
  ASSERT_EQ(s.validate(), "");
  const std::vector<RangePoint> range = ParseRange(c.row.range);
  ASSERT_EQ(range.size(), 5u);

  // Every previous state, so "previous state" cells are told apart from fixed ones.
  for (AlarmState previous : {AlarmState::InsufficientData, AlarmState::Ok, AlarmState::Alarm}) {
    AlarmState want = previous;
    if (c.expect == Expect::InsufficientData) want = AlarmState::InsufficientData;
    if (c.expect == Expect::Ok) want = AlarmState::Ok;
    if (c.expect == Expect::Alarm) want = AlarmState::Alarm;
    EXPECT_EQ(to_string(evaluate_range(s, range, previous)), to_string(want))
        << "previous state " << to_string(previous);
  }
}

INSTANTIATE_TEST_SUITE_P(AlarmSemanticsDoc, DocumentedTableTest, testing::ValuesIn(DocumentedCells()),
                         CellName);

TEST(EvaluateRangeTest, EnoughRealPointsIgnoreTreatMissingData) {
  // Case 2: four real points for N = 3; the newest three (X 0 X) decide, the oldest X and the gap do not.
  AlarmSettings s;
  s.evaluation_periods = 3;
  s.datapoints_to_alarm = 3;
  s.evaluation_range_periods = 5;
  const std::vector<RangePoint> range = ParseRange("X X - 0 X");
  for (auto t : {TreatMissingData::Missing, TreatMissingData::NotBreaching, TreatMissingData::Breaching,
                 TreatMissingData::Ignore}) {
    s.treat_missing = t;
    EXPECT_EQ(evaluate_range(s, range, AlarmState::Alarm), AlarmState::Ok) << to_string(t);
  }
  s.datapoints_to_alarm = 2;
  EXPECT_EQ(evaluate_range(s, range, AlarmState::Ok), AlarmState::Alarm);
}

TEST(EvaluateRangeTest, BreachingFillsOnlyUpToN) {
  // Case 3 with breaching: one non-breaching real point + two filled breaching points = 2 of 3.
  AlarmSettings s;
  s.evaluation_periods = 3;
  s.datapoints_to_alarm = 3;
  s.evaluation_range_periods = 5;
  s.treat_missing = TreatMissingData::Breaching;
  EXPECT_EQ(evaluate_range(s, ParseRange("- - 0 - -"), AlarmState::Alarm), AlarmState::Ok);
  s.datapoints_to_alarm = 2;
  EXPECT_EQ(evaluate_range(s, ParseRange("- - 0 - -"), AlarmState::Ok), AlarmState::Alarm);
}

TEST(EvaluateRangeTest, MissingStoppedAfterBreachingDependsOnAgeOfNewestPoint) {
  // All real points breach but fewer than M: ALARM only once the newest real point left the newest N periods.
  AlarmSettings s;
  s.evaluation_periods = 3;
  s.datapoints_to_alarm = 3;
  s.evaluation_range_periods = 5;
  s.treat_missing = TreatMissingData::Missing;
  EXPECT_EQ(evaluate_range(s, ParseRange("- X - X -"), AlarmState::Ok), AlarmState::InsufficientData);
  EXPECT_EQ(evaluate_range(s, ParseRange("- - X - -"), AlarmState::Ok), AlarmState::InsufficientData);
  EXPECT_EQ(evaluate_range(s, ParseRange("- X - - -"), AlarmState::Ok), AlarmState::Alarm);
}

// ---------------------------------------------------------------------------------------------------------------
// The replay.

constexpr std::int64_t kP = 300;
constexpr std::int64_t kT0 = 1'700'000'100;  // a period start: 1'700'000'100 = 5'666'667 * 300
static_assert(kT0 % kP == 0);

// The CIS CloudTrail CMK alarm: Sum, 300 s, >= 1, 1 of 1, missing, R = 3.
AlarmSettings CisSettings() {
  AlarmSettings s;
  s.period = kP;
  s.statistic = Statistic::Sum;
  s.threshold = 1;
  s.comparison = ComparisonOperator::GreaterThanOrEqualToThreshold;
  s.evaluation_periods = 1;
  s.datapoints_to_alarm = 1;
  s.treat_missing = TreatMissingData::Missing;
  s.evaluation_range_periods = 3;
  return s;
}

AlarmSettings TwoOfThree(TreatMissingData treat) {
  AlarmSettings s = CisSettings();
  s.evaluation_periods = 3;
  s.datapoints_to_alarm = 2;
  s.evaluation_range_periods = 5;
  s.treat_missing = treat;
  return s;
}

Datapoint At(std::int64_t period_offset, double value) {
  return {kT0 + period_offset * kP, value, 1};
}

// One letter per evaluated period (I, O, A); also checks that the periods are consecutive from `first`.
std::string States(const AlarmReplay& replay, std::int64_t first = kT0, std::int64_t period = kP) {
  std::string out;
  for (std::size_t i = 0; i < replay.states.size(); ++i) {
    EXPECT_EQ(replay.states[i].period_start, first + static_cast<std::int64_t>(i) * period) << "state " << i;
    switch (replay.states[i].state) {
      case AlarmState::InsufficientData:
        out += 'I';
        break;
      case AlarmState::Ok:
        out += 'O';
        break;
      case AlarmState::Alarm:
        out += 'A';
        break;
    }
  }
  return out;
}

void ExpectWindow(const AlarmWindow& w, std::int64_t start, std::int64_t end, std::int64_t alarm_at,
                  double peak, bool open) {
  EXPECT_EQ(w.start, start);
  EXPECT_EQ(w.end, end);
  EXPECT_EQ(w.alarm_at, alarm_at);
  EXPECT_EQ(w.peak, peak);
  EXPECT_EQ(w.open, open);
}

TEST(ReplayAlarmTest, CisSingleEventAlarmsForFifteenMinutes) {
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps);
  EXPECT_EQ(States(r), "AAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 900, kT0 + 300, 1, false);
}

TEST(ReplayAlarmTest, CisSingleEventThenInsufficientData) {
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps, kT0 + 5 * kP);
  EXPECT_EQ(States(r), "AAAII");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 900, kT0 + 300, 1, false);
}

TEST(ReplayAlarmTest, CisEventsFiveMinutesApartMergeIntoOneWindow) {
  const std::vector<Datapoint> dps = {At(0, 1), At(1, 2)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps);
  EXPECT_EQ(States(r), "AAAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 1200, kT0 + 300, 2, false);
}

TEST(ReplayAlarmTest, CisEventsFifteenMinutesApartStillOneWindow) {
  // The second event lands in the first period after the first one's three ALARM periods.
  const std::vector<Datapoint> dps = {At(0, 3), At(3, 1)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps);
  EXPECT_EQ(States(r), "AAAAAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 1800, kT0 + 300, 3, false);
}

TEST(ReplayAlarmTest, CisEventsTwentyMinutesApartGiveTwoWindows) {
  const std::vector<Datapoint> dps = {At(0, 1), At(4, 5)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps);
  EXPECT_EQ(States(r), "AAAIAAA");
  ASSERT_EQ(r.windows.size(), 2u);
  ExpectWindow(r.windows[0], kT0, kT0 + 900, kT0 + 300, 1, false);
  ExpectWindow(r.windows[1], kT0 + 1200, kT0 + 2100, kT0 + 1500, 5, false);
}

TEST(ReplayAlarmTest, BreachingMakesTheFinalWindowOpen) {
  AlarmSettings s = CisSettings();
  s.treat_missing = TreatMissingData::Breaching;
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(s, dps);
  EXPECT_EQ(States(r), "AAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 900, kT0 + 300, 1, true);
}

TEST(ReplayAlarmTest, BreachingKeepsAlarmOverEmptyRangesUpToEnd) {
  AlarmSettings s = CisSettings();
  s.treat_missing = TreatMissingData::Breaching;
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(s, dps, kT0 + 6 * kP);
  EXPECT_EQ(States(r), "AAAAAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 6 * kP, kT0 + 300, 1, true);
}

TEST(ReplayAlarmTest, BreachingWindowWithoutDatapointsHasPeakZero) {
  // 3 of 3: a lone non-breaching point plus two filled points is OK; a range with no data at all is ALARM.
  AlarmSettings s = CisSettings();
  s.evaluation_periods = 3;
  s.datapoints_to_alarm = 3;
  s.evaluation_range_periods = 5;
  s.treat_missing = TreatMissingData::Breaching;
  const std::vector<Datapoint> dps = {At(0, 0.5), At(20, 0.5)};
  const AlarmReplay r = replay_alarm(s, dps);
  EXPECT_EQ(States(r), "OOOOO" + std::string(15, 'A') + "OOOOO");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0 + 5 * kP, kT0 + 20 * kP, kT0 + 6 * kP, 0, false);
}

TEST(ReplayAlarmTest, NotBreachingClosesLikeMissing) {
  AlarmSettings s = CisSettings();
  s.treat_missing = TreatMissingData::NotBreaching;
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(s, dps, kT0 + 4 * kP);
  EXPECT_EQ(States(r), "AAAO");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 900, kT0 + 300, 1, false);
}

TEST(ReplayAlarmTest, EndCutsTheReplayWhileInAlarmAndLeavesTheWindowOpen) {
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps, kT0 + 2 * kP);
  EXPECT_EQ(States(r), "AA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 600, kT0 + 300, 1, true);
}

TEST(ReplayAlarmTest, EndAtTheNaturalEndDoesNotOpenTheWindow) {
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps, kT0 + 3 * kP);
  EXPECT_EQ(States(r), "AAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 900, kT0 + 300, 1, false);
}

TEST(ReplayAlarmTest, EndInsideAPeriodStopsAtTheLastFullPeriod) {
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps, kT0 + 2 * kP + 299);
  EXPECT_EQ(States(r), "AA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 600, kT0 + 300, 1, true);
}

TEST(ReplayAlarmTest, EndBeforeTheFirstPeriodEndsGivesNothing) {
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps, kT0 + kP - 1);
  EXPECT_TRUE(r.states.empty());
  EXPECT_TRUE(r.windows.empty());
}

TEST(ReplayAlarmTest, EndLeavesLaterDatapointsOutOfTheWindowAndItsPeak) {
  const std::vector<Datapoint> dps = {At(0, 1), At(1, 7)};
  const AlarmReplay r = replay_alarm(CisSettings(), dps, kT0 + kP);
  EXPECT_EQ(States(r), "A");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + kP, kT0 + kP, 1, true);
}

TEST(ReplayAlarmTest, GreaterThanThresholdDoesNotAlarmAtTheThreshold) {
  AlarmSettings s = CisSettings();
  s.comparison = ComparisonOperator::GreaterThanThreshold;
  const std::vector<Datapoint> at_threshold = {At(0, 1)};
  const AlarmReplay r = replay_alarm(s, at_threshold);
  EXPECT_EQ(States(r), "OOO");
  EXPECT_TRUE(r.windows.empty());

  const std::vector<Datapoint> above = {At(0, 1.5)};
  const AlarmReplay r2 = replay_alarm(s, above);
  EXPECT_EQ(States(r2), "AAA");
  ASSERT_EQ(r2.windows.size(), 1u);
  ExpectWindow(r2.windows[0], kT0, kT0 + 900, kT0 + 300, 1.5, false);
}

TEST(ReplayAlarmTest, LessThanThresholdAlarmsOnALowValue) {
  // A heartbeat metric that dips once: only the period whose newest real value is low is in ALARM.
  AlarmSettings s = CisSettings();
  s.comparison = ComparisonOperator::LessThanThreshold;
  const std::vector<Datapoint> dps = {At(0, 5), At(1, 5), At(2, 0), At(3, 5)};
  const AlarmReplay r = replay_alarm(s, dps);
  EXPECT_EQ(States(r), "OOAOOO");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0 + 2 * kP, kT0 + 3 * kP, kT0 + 3 * kP, 0, false);

  const std::vector<Datapoint> at_threshold = {At(0, 1)};
  EXPECT_EQ(States(replay_alarm(s, at_threshold)), "OOO");
}

TEST(ReplayAlarmTest, PeakOfNegativeValuesIsTheLargestOfThem) {
  AlarmSettings s = CisSettings();
  s.comparison = ComparisonOperator::LessThanThreshold;
  s.threshold = 0;
  const std::vector<Datapoint> dps = {At(0, -3), At(1, -1)};
  const AlarmReplay r = replay_alarm(s, dps);
  EXPECT_EQ(States(r), "AAAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 1200, kT0 + 300, -1, false);
}

TEST(ReplayAlarmTest, LessThanOrEqualToThresholdAlarmsAtTheThreshold) {
  AlarmSettings s = CisSettings();
  s.comparison = ComparisonOperator::LessThanOrEqualToThreshold;
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(s, dps);
  EXPECT_EQ(States(r), "AAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 900, kT0 + 300, 1, false);
}

TEST(ReplayAlarmTest, TwoOfThreeAlarmsOnTheSecondBreach) {
  // The first breach alone is INSUFFICIENT_DATA; the window holds only the second datapoint, so the peak is
  // its.
  const std::vector<Datapoint> dps = {At(0, 4), At(2, 2)};
  const AlarmReplay r = replay_alarm(TwoOfThree(TreatMissingData::Missing), dps);
  EXPECT_EQ(States(r), "IIAAAAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0 + 2 * kP, kT0 + 7 * kP, kT0 + 3 * kP, 2, false);
}

TEST(ReplayAlarmTest, TwoOfThreeWithANonBreachingPointBetween) {
  // X 0 X: ALARM while both breaches are among the newest three real points, OK while the 0 is, then ALARM
  // again when only the second breach is left and it is older than the newest three periods (metric stopped
  // breaching).
  const std::vector<Datapoint> dps = {At(0, 1), At(1, 0), At(2, 1)};
  const AlarmReplay r = replay_alarm(TwoOfThree(TreatMissingData::Missing), dps);
  EXPECT_EQ(States(r), "IOAAAOA");
  ASSERT_EQ(r.windows.size(), 2u);
  ExpectWindow(r.windows[0], kT0 + 2 * kP, kT0 + 5 * kP, kT0 + 3 * kP, 1, false);
  ExpectWindow(r.windows[1], kT0 + 6 * kP, kT0 + 7 * kP, kT0 + 7 * kP, 0, false);
}

TEST(ReplayAlarmTest, TwoOfThreeNotBreachingNeedsTwoRealBreaches) {
  const std::vector<Datapoint> one = {At(0, 1)};
  const AlarmReplay r = replay_alarm(TwoOfThree(TreatMissingData::NotBreaching), one);
  EXPECT_EQ(States(r), "OOOOO");
  EXPECT_TRUE(r.windows.empty());
}

TEST(ReplayAlarmTest, IgnoreKeepsThePreviousStateAndLeavesTheWindowOpen) {
  AlarmSettings s = CisSettings();
  s.evaluation_periods = 3;
  s.datapoints_to_alarm = 3;
  s.evaluation_range_periods = 5;
  s.treat_missing = TreatMissingData::Ignore;
  const std::vector<Datapoint> dps = {At(0, 1), At(1, 2), At(2, 3)};
  const AlarmReplay r = replay_alarm(s, dps);
  // Fewer than three real breaches keep the state: INSUFFICIENT_DATA at first, ALARM at the end.
  EXPECT_EQ(States(r), "IIAAAAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0 + 2 * kP, kT0 + 7 * kP, kT0 + 3 * kP, 3, true);

  // Same states under `missing` (the breaches age out of the newest three periods), but the alarm then leaves
  // ALARM.
  s.treat_missing = TreatMissingData::Missing;
  const AlarmReplay m = replay_alarm(s, dps);
  EXPECT_EQ(States(m), "IIAAAAA");
  ASSERT_EQ(m.windows.size(), 1u);
  EXPECT_FALSE(m.windows[0].open);
}

TEST(ReplayAlarmTest, IgnoreBridgesTheGapBetweenBreaches) {
  AlarmSettings s = CisSettings();
  s.treat_missing = TreatMissingData::Ignore;
  const std::vector<Datapoint> dps = {At(0, 2), At(10, 6)};
  const AlarmReplay r = replay_alarm(s, dps);
  EXPECT_EQ(States(r), std::string(13, 'A'));
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], kT0, kT0 + 13 * kP, kT0 + kP, 6, true);

  s.treat_missing = TreatMissingData::Missing;
  const AlarmReplay m = replay_alarm(s, dps);
  EXPECT_EQ(States(m), "AAA" + std::string(7, 'I') + "AAA");
  ASSERT_EQ(m.windows.size(), 2u);
  ExpectWindow(m.windows[0], kT0, kT0 + 3 * kP, kT0 + kP, 2, false);
  ExpectWindow(m.windows[1], kT0 + 10 * kP, kT0 + 13 * kP, kT0 + 11 * kP, 6, false);
}

TEST(ReplayAlarmTest, IgnoreKeepsOkOverEmptyRanges) {
  AlarmSettings s = CisSettings();
  s.treat_missing = TreatMissingData::Ignore;
  const std::vector<Datapoint> dps = {At(0, 0)};
  const AlarmReplay r = replay_alarm(s, dps, kT0 + 6 * kP);
  EXPECT_EQ(States(r), "OOOOOO");
  EXPECT_TRUE(r.windows.empty());
}

TEST(ReplayAlarmTest, EmptySeriesGivesNothing) {
  const std::vector<Datapoint> none;
  for (auto t : {TreatMissingData::Missing, TreatMissingData::NotBreaching, TreatMissingData::Breaching,
                 TreatMissingData::Ignore}) {
    AlarmSettings s = CisSettings();
    s.treat_missing = t;
    const AlarmReplay r = replay_alarm(s, none);
    EXPECT_TRUE(r.states.empty()) << to_string(t);
    EXPECT_TRUE(r.windows.empty()) << to_string(t);
    const AlarmReplay cut = replay_alarm(s, none, kT0 + 10 * kP);
    EXPECT_TRUE(cut.states.empty()) << to_string(t);
    EXPECT_TRUE(cut.windows.empty()) << to_string(t);
  }
}

TEST(ReplayAlarmTest, InvalidSettingsGiveNothing) {
  AlarmSettings s = CisSettings();
  s.evaluation_range_periods = 1;
  const std::vector<Datapoint> dps = {At(0, 1)};
  const AlarmReplay r = replay_alarm(s, dps);
  EXPECT_TRUE(r.states.empty());
  EXPECT_TRUE(r.windows.empty());
}

TEST(ReplayAlarmTest, UnsortedAndUnalignedDatapointsCountForTheirPeriod) {
  const std::vector<Datapoint> dps = {{kT0 + 4 * kP + 17, 5, 1}, {kT0 + 299, 1, 1}};
  const AlarmReplay r = replay_alarm(CisSettings(), dps);
  EXPECT_EQ(States(r), "AAAIAAA");
  ASSERT_EQ(r.windows.size(), 2u);
  ExpectWindow(r.windows[0], kT0, kT0 + 900, kT0 + 300, 1, false);
  ExpectWindow(r.windows[1], kT0 + 1200, kT0 + 2100, kT0 + 1500, 5, false);
}

TEST(ReplayAlarmTest, TimesBeforeTheEpochUseFlooredPeriods) {
  const std::vector<Datapoint> dps = {{-1, 1, 1}};
  const AlarmReplay r = replay_alarm(CisSettings(), dps);
  EXPECT_EQ(States(r, -300), "AAA");
  ASSERT_EQ(r.windows.size(), 1u);
  ExpectWindow(r.windows[0], -300, 600, 0, 1, false);
}

}  // namespace
}  // namespace trailwatch
