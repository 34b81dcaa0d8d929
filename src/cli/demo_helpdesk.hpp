#pragma once
// The demo's help-desk step (see demo_helpdesk.cpp).

#include "cli/demo.hpp"

namespace pitboss::cli {

/// Queues, agents, an SLA policy and a day and a half of ticket traffic with some breaches.
void run_demo_tickets(DemoContext& ctx);

}  // namespace pitboss::cli
