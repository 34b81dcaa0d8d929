#pragma once
/// @file
/// The master profile: one per player, whatever platform or brand they came from.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pitboss/core/id.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/core/time.hpp"

namespace pitboss::players {

/// Lifecycle of an account. Only active players may receive marketing or play.
enum class PlayerStatus { kActive, kBlocked, kSelfExcluded, kClosed };

/// "active", "blocked", "self_excluded", "closed".
[[nodiscard]] std::string_view to_string(PlayerStatus status) noexcept;
/// Parses the names above; throws ValidationError(field "status").
[[nodiscard]] PlayerStatus parse_player_status(std::string_view text);

/// Marketing consent per channel; absent consent is no consent.
struct Consents {
    bool email = false;      ///< may receive marketing e-mail
    bool sms = false;        ///< may receive marketing SMS
    bool push = false;       ///< may receive push notifications
    bool messenger = false;  ///< may be contacted on messenger apps
    /// Field-wise equality, so updates can tell whether consent changed.
    friend bool operator==(const Consents&, const Consents&) = default;
};

/// Input for PlayerService::register_player.
struct NewPlayer {
    std::string external_id;           ///< the platform's player id; unique, 1-128 chars
    std::string brand = "main";        ///< the operator's brand / licence the player belongs to
    std::optional<std::string> email;  ///< validated when present
    std::optional<std::string> phone;  ///< E.164, e.g. "+35699123456"
    std::string country;               ///< ISO 3166-1 alpha-2, upper case
    Date birth_date{};                 ///< must make the player 18 or older
    std::string currency;              ///< ISO 4217 code of the player's wallet
    std::string language = "en";       ///< ISO 639-1, lower case
    std::optional<std::string> traffic_source;  ///< marketing channel that brought the player
    std::optional<std::string> affiliate_id;    ///< the referring affiliate, for commission
    std::optional<Timestamp> registered_at;     ///< defaults to the clock's now
    Consents consents;                          ///< marketing consent per channel
    std::vector<std::string> tags;              ///< free labels for segmentation
};

/// The stored master profile.
struct Player {
    PlayerId id;                                  ///< pitboss's internal id
    std::string external_id;                      ///< the platform's player id
    std::string brand;                            ///< brand / licence the player belongs to
    std::optional<std::string> email;             ///< contact address, if given
    std::optional<std::string> phone;             ///< E.164 number, if given
    std::string country;                          ///< ISO 3166-1 alpha-2
    Date birth_date{};                            ///< for age checks
    std::string currency;                         ///< ISO 4217 wallet currency
    std::string language;                         ///< ISO 639-1, for communications
    std::optional<std::string> traffic_source;    ///< marketing channel that brought the player
    std::optional<std::string> affiliate_id;      ///< the referring affiliate, for commission
    Timestamp registered_at;                      ///< when the player signed up (UTC)
    Consents consents;                            ///< marketing consent per channel
    PlayerStatus status = PlayerStatus::kActive;  ///< whether the account may play
    std::vector<std::string> tags;                ///< sorted, unique
    Timestamp updated_at;                         ///< time of the last change (UTC)
    std::int64_t version = 1;                     ///< bumped on every change
};

/// A partial change: only the fields that are set change. Empty optional means "keep";
/// for nullable fields, an empty string clears the value.
struct PlayerUpdate {
    std::optional<std::string> email;              ///< new address; empty string clears it
    std::optional<std::string> phone;              ///< new E.164 number; empty string clears it
    std::optional<std::string> country;            ///< new ISO 3166-1 alpha-2 country
    std::optional<Date> birth_date;                ///< corrected birth date
    std::optional<std::string> language;           ///< new ISO 639-1 language
    std::optional<std::string> traffic_source;     ///< new source; empty string clears it
    std::optional<std::string> affiliate_id;       ///< new affiliate; empty string clears it
    std::optional<Consents> consents;              ///< replaces every channel's consent
    std::optional<std::vector<std::string>> tags;  ///< replaces the whole tag set
    /// When set, the update fails with ConflictError unless the stored version matches.
    std::optional<std::int64_t> expected_version;
};

/// Filter and page for PlayerService::list_players (keyset paging by id).
struct PlayerFilter {
    std::optional<std::string> country;  ///< only players of this country
    std::optional<std::string> brand;    ///< only players of this brand
    std::optional<PlayerStatus> status;  ///< only players in this status
    std::optional<std::string> tag;      ///< only players carrying this tag
    PlayerId after{};                    ///< return ids greater than this
    std::size_t limit = 100;             ///< 1-10,000
};

/// The profile as JSON (dates and times as ISO text; used by audit, CLI and REST).
[[nodiscard]] Json to_json(const Player& player);

}  // namespace pitboss::players
