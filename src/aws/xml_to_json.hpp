// Query-protocol answers (CloudWatch, SNS, STS in XML; EC2 in its own XML dialect) turned into the JSON the
// AWS CLI prints for them, so that the audit reads one format whichever protocol a service speaks.
#pragma once

#include <string>
#include <string_view>

namespace trailwatch::aws {

/// The `<ACTION>Result` element of a Query response as JSON: elements whose children are all `<member>` (or
/// `<item>`) become arrays, known list members with no children become `[]`, known numeric and boolean
/// members are typed (Period, EvaluationPeriods, DatapointsToAlarm, Threshold; ActionsEnabled, ...),
/// everything else is a string. ResponseMetadata is dropped. Throws ApiError("InvalidResponse") when the XML
/// does not parse.
std::string query_xml_to_json(std::string_view xml, std::string_view action);

/// An EC2 response (`<ACTIONResponse>` holding lowerCamel members and `<item>` lists) as the AWS CLI prints
/// it: member names capitalised, `regionInfo` -> `Regions`, `regionEndpoint` -> `Endpoint`; requestId
/// dropped.
std::string ec2_xml_to_json(std::string_view xml);

/// True when `text` is a JSON number as written (no leading '+', no bare '.', no NaN).
bool is_json_number(std::string_view text);

}  // namespace trailwatch::aws
