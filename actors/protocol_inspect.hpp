// CAF `inspect` overloads for the wire types, so that they can cross nodes (and print in CAF's
// logs). They live here rather than in protocol/, which knows nothing of CAF, but in the types'
// own namespace, where CAF's argument-dependent lookup finds them. Every field is inspected,
// in declaration order; each name is the one type_registry.cpp registers.
#pragma once

#include "actors/inspect_fields.hpp"
#include "protocol/messages.hpp"

#include <caf/meta/type_name.hpp>

namespace rtd::protocol {

// ---- what channels publish -------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, market_snapshot& x) {
  return f(caf::meta::type_name("rtd::protocol::market_snapshot"), x.values);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, analytics_metric& x) {
  return f(caf::meta::type_name("rtd::protocol::analytics_metric"), x.indicator, x.measure);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, calculation_metric& x) {
  return f(caf::meta::type_name("rtd::protocol::calculation_metric"), x.calculation_id, x.field);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, alert_details& x) {
  return f(caf::meta::type_name("rtd::protocol::alert_details"), x.alert_id,
           variant_field{x.metric}, x.condition, x.value, x.threshold, x.direction);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, notification& x) {
  return f(caf::meta::type_name("rtd::protocol::notification"), x.category, x.level, x.message,
           optional_field{x.alert});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, calculation_update& x) {
  return f(caf::meta::type_name("rtd::protocol::calculation_update"), x.calculation_id, x.type,
           x.status, x.time, optional_field{x.progress}, optional_field{x.message}, x.result_json,
           x.cached, optional_field{x.live}, optional_field{x.market_seq},
           optional_field{x.duration_ms}, optional_field{x.error}, x.error_message,
           variant_field{x.id});
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, node_status& x) {
  return f(caf::meta::type_name("rtd::protocol::node_status"), x.node, x.status, x.leader,
           x.connections);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, history_figures& x) {
  return f(caf::meta::type_name("rtd::protocol::history_figures"), x.enabled, x.written, x.pending,
           x.dropped, x.write_errors);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, system_status& x) {
  return f(caf::meta::type_name("rtd::protocol::system_status"), x.status, x.reasons, x.node,
           x.uptime_s, x.connections_active, x.connections_total, x.subscribers, x.cache_hits,
           x.cache_misses, x.cache_entries, x.cache_evictions, x.cache_expired, x.cache_bytes,
           x.calculations_running, x.calculations_completed, x.calculations_failed,
           x.calculations_avg_ms, x.calculations_memory_bytes, x.calculations_refused,
           x.messages_in_per_s, x.messages_out_per_s, x.rss_bytes, optional_field{x.history},
           x.nodes, x.rate_limited, x.closed_by_code, x.refused_by_reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, indicator_trend& x) {
  return f(caf::meta::type_name("rtd::protocol::indicator_trend"), x.value, x.ewma_fast,
           x.ewma_slow, x.trend, x.trend_strength, x.volatility, x.zscore);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, analytics_update& x) {
  return f(caf::meta::type_name("rtd::protocol::analytics_update"), x.market_seq, x.indicators);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, publication_header& x) {
  return f(caf::meta::type_name("rtd::protocol::publication_header"), x.source, x.seq, x.epoch,
           x.time);
}

/// A publication body is itself a message (a node hands it to the leader's channel).
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, publication_body& x) {
  return f(caf::meta::type_name("rtd::protocol::publication_body"), variant_field{x});
}

// ---- what clients ask ------------------------------------------------------------------

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscribe_request& x) {
  return f(caf::meta::type_name("rtd::protocol::subscribe_request"), x.target,
           optional_field{x.since_seq}, optional_field{x.epoch}, x.conflate);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, unsubscribe_request& x) {
  return f(caf::meta::type_name("rtd::protocol::unsubscribe_request"), x.target);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, rate_input& x) {
  return f(caf::meta::type_name("rtd::protocol::rate_input"), x.market, x.value);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, calculation_parameters& x) {
  return f(caf::meta::type_name("rtd::protocol::calculation_parameters"), x.cash_flows,
           optional_field{x.discount_rate}, optional_field{x.initial_investment},
           optional_field{x.volatility}, optional_field{x.iterations}, optional_field{x.seed},
           optional_field{x.variation});
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, calculate_request& x) {
  return f(caf::meta::type_name("rtd::protocol::calculate_request"), x.type, x.parameters,
           optional_field{x.calculation_id}, x.live);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cancel_request& x) {
  return f(caf::meta::type_name("rtd::protocol::cancel_request"), x.calculation_id);
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, ping_request&) {
  return f(caf::meta::type_name("rtd::protocol::ping_request"));
}

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, auth_request& x) {
  return f(caf::meta::type_name("rtd::protocol::auth_request"), x.token);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, set_alert_request& x) {
  return f(caf::meta::type_name("rtd::protocol::set_alert_request"), x.alert_id,
           variant_field{x.metric}, x.condition, x.threshold);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, remove_alert_request& x) {
  return f(caf::meta::type_name("rtd::protocol::remove_alert_request"), x.alert_id);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, history_request& x) {
  return f(caf::meta::type_name("rtd::protocol::history_request"), x.target,
           optional_field{x.since_seq}, optional_field{x.from}, optional_field{x.to}, x.limit);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, client_message& x) {
  return f(caf::meta::type_name("rtd::protocol::client_message"), variant_field{x.id},
           variant_field{x.body});
}

} // namespace rtd::protocol
