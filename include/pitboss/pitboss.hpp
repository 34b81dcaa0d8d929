#pragma once
/// @file
/// Everything public in pitboss, for programs that prefer one include.

#include "pitboss/access/access_control.hpp"
#include "pitboss/access/condition.hpp"
#include "pitboss/access/permissions.hpp"
#include "pitboss/audit/audit_log.hpp"
#include "pitboss/backoffice.hpp"
#include "pitboss/core/actor.hpp"
#include "pitboss/core/clock.hpp"
#include "pitboss/core/error.hpp"
#include "pitboss/core/id.hpp"
#include "pitboss/core/json.hpp"
#include "pitboss/core/money.hpp"
#include "pitboss/core/time.hpp"
#include "pitboss/players/player.hpp"
#include "pitboss/players/player_service.hpp"
#include "pitboss/storage/database.hpp"
#include "pitboss/storage/migration.hpp"
#include "pitboss/storage/value.hpp"
#include "pitboss/transport/outbox.hpp"
