#include "pitboss/segments/segment.hpp"

#include <utility>

#include "pitboss/core/error.hpp"

namespace pitboss::segments {

std::string_view to_string(SegmentKind kind) noexcept {
    switch (kind) {
        case SegmentKind::kDynamic:
            return "dynamic";
        case SegmentKind::kStatic:
            return "static";
        case SegmentKind::kAbSplit:
            return "ab_split";
    }
    return "dynamic";
}

SegmentKind parse_segment_kind(std::string_view text) {
    if (text == "dynamic") return SegmentKind::kDynamic;
    if (text == "static") return SegmentKind::kStatic;
    if (text == "ab_split") return SegmentKind::kAbSplit;
    throw ValidationError("kind", "must be dynamic, static or ab_split");
}

NewSegment NewSegment::dynamic(std::string name, std::string rule, std::string description) {
    NewSegment s;
    s.name = std::move(name);
    s.kind = SegmentKind::kDynamic;
    s.rule = std::move(rule);
    s.description = std::move(description);
    return s;
}

NewSegment NewSegment::static_list(std::string name, std::vector<PlayerId> players,
                                   std::string description) {
    NewSegment s;
    s.name = std::move(name);
    s.kind = SegmentKind::kStatic;
    s.player_ids = std::move(players);
    s.description = std::move(description);
    return s;
}

NewSegment NewSegment::ab_split(std::string name, int buckets, std::optional<std::string> parent,
                                std::string description) {
    NewSegment s;
    s.name = std::move(name);
    s.kind = SegmentKind::kAbSplit;
    s.buckets = buckets;
    s.parent = std::move(parent);
    s.description = std::move(description);
    return s;
}

Json to_json(const Segment& s) {
    return Json{
        {"id", s.id.value()},
        {"name", s.name},
        {"kind", to_string(s.kind)},
        {"description", s.description},
        {"rule", s.rule ? Json(*s.rule) : Json(nullptr)},
        {"buckets", s.buckets},
        {"parent", s.parent ? Json(*s.parent) : Json(nullptr)},
        {"created_by", s.created_by},
        {"created_at", format_timestamp(s.created_at)},
        {"refreshed_at", s.refreshed_at ? Json(format_timestamp(*s.refreshed_at)) : Json(nullptr)},
        {"size", s.size}};
}

Json to_json(const RefreshResult& r) {
    return Json{{"entered", r.entered}, {"exited", r.exited}, {"size", r.size}};
}

}  // namespace pitboss::segments
