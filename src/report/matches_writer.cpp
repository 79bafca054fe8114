#include "trailwatch/report.hpp"

namespace trailwatch {

void MatchesWriter::write(const ScanPlan& plan, const std::string& path,
                          const std::vector<MatchedRecord>& records) {
  // Formatted outside the lock: only the append to the shared stream is serialised.
  std::string text;
  for (const MatchedRecord& m : records) {
    text += "{\"rule\":";
    append_json_string(text, plan.filters()[m.filter].id);
    text += ",\"file\":";
    append_json_string(text, path);
    text += m.oversize ? ",\"oversize\":true" : ",\"oversize\":false";
    if (!m.time_error.empty()) {
      text += ",\"time_error\":";
      append_json_string(text, m.time_error);
    }
    text += ",\"record\":";
    text += m.raw;
    text += "}\n";
  }
  std::lock_guard lock(mutex_);
  out_ << text;
}

}  // namespace trailwatch
