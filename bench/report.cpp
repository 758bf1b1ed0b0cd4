#include "bench/report.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

namespace rtd::bench {

namespace {

using writer = rapidjson::Writer<rapidjson::StringBuffer>;

void field(writer& w, const char* key, double v) {
  w.Key(key);
  if (std::isfinite(v))
    w.Double(std::round(v * 1000) / 1000); // three decimals are plenty, and short
  else
    w.Null();
}

void field(writer& w, const char* key, std::uint64_t v) {
  w.Key(key);
  w.Uint64(v);
}

void field(writer& w, const char* key, std::int64_t v) {
  w.Key(key);
  w.Int64(v);
}

void field(writer& w, const char* key, const std::string& v) {
  w.Key(key);
  w.String(v.c_str(), static_cast<rapidjson::SizeType>(v.size()));
}

void field(writer& w, const char* key, bool v) {
  w.Key(key);
  w.Bool(v);
}

/// What one unit of work is in each mode, and its count.
const char* op_name(mode m) {
  switch (m) {
  case mode::fanout:
  case mode::conns:
  case mode::ingest:
    return "deliveries";
  case mode::ping:
    return "round_trips";
  case mode::calc:
    return "calcs";
  }
  return "ops";
}

const char* op_singular(mode m) {
  switch (m) {
  case mode::fanout:
  case mode::conns:
  case mode::ingest:
    return "delivery";
  case mode::ping:
    return "round_trip";
  case mode::calc:
    return "calc";
  }
  return "op";
}

} // namespace

std::string report_json(const options& opts, const worker_result& r, const run_samples& s) {
  rapidjson::StringBuffer buffer;
  writer w(buffer);
  const double window_s = static_cast<double>(s.t1 - s.t0) * 1e-6;
  const bool subscribing =
      opts.mode == mode::fanout || opts.mode == mode::conns || opts.mode == mode::ingest;
  const std::string op = op_name(opts.mode);
  const std::uint64_t ops = r.sum(op);
  const std::uint64_t ready = r.sum("ready");

  w.StartObject();
  field(w, "mode", std::string(mode_name(opts.mode)));
  if (!opts.label.empty())
    field(w, "label", opts.label);
  field(w, "url", opts.url);
  field(w, "connections", static_cast<std::uint64_t>(opts.connections));
  field(w, "threads", static_cast<std::int64_t>(opts.threads));
  field(w, "procs", static_cast<std::int64_t>(opts.procs));
  field(w, "source_addrs", static_cast<std::int64_t>(opts.source_addrs));
  field(w, "setup_s", s.setup_s);
  field(w, "setup_complete", s.setup_complete);
  field(w, "duration_s", window_s);
  field(w, "connected", r.sum("connected"));
  field(w, "ready", ready);
  field(w, "connect_failures", r.sum("connect_failures"));
  field(w, "disconnects", r.sum("disconnects"));
  field(w, "errors", r.sum("errors"));
  field(w, "bad_frames", r.sum("bad_frames"));

  field(w, op.c_str(), ops);
  field(w, (op + "_per_s").c_str(), window_s > 0 ? static_cast<double>(ops) / window_s : 0.0);
  if (subscribing) {
    field(w, "seq_gaps", r.sum("seq_gaps"));
    field(w, "skipped", r.sum("skipped")); // announced by a conflating server: not lost
    field(w, "seq_disorder", r.sum("seq_disorder"));
    field(w, "missing_seq", r.sum("missing_seq"));
    field(w, "missing_timestamp", r.sum("missing_timestamp"));
    auto lo = r.mins.find("seq_min");
    auto hi = r.maxs.find("seq_max");
    // Publications seen in the window, over all connections (wider than one connection's when
    // some lag behind).
    field(w, "seq_span",
          lo != r.mins.end() && hi != r.maxs.end() ? hi->second - lo->second + 1 : std::int64_t{0});
    auto pmin = r.mins.find("per_conn_min");
    auto pmax = r.maxs.find("per_conn_max");
    field(w, "per_conn_min", pmin != r.mins.end() ? pmin->second : std::int64_t{0});
    field(w, "per_conn_max", pmax != r.maxs.end() ? pmax->second : std::int64_t{0});
    // At the end every connection should have seen the same last publication (one tick in
    // flight aside): with no gaps, every tick reached every connection.
    auto lmin = r.mins.find("last_seq_min");
    auto lmax = r.maxs.find("last_seq_max");
    field(w, "last_seq_min", lmin != r.mins.end() ? lmin->second : std::int64_t{-1});
    field(w, "last_seq_max", lmax != r.maxs.end() ? lmax->second : std::int64_t{-1});
  } else {
    field(w, "stalled", r.sum("stalled"));
  }
  if (opts.mode == mode::calc) {
    field(w, "calc_params", std::string(opts.calc_same_params ? "same" : "distinct"));
    field(w, "checked", r.sum("checked"));
    field(w, "wrong_values", r.sum("wrong_values"));
    field(w, "calc_failed", r.sum("calc_failed"));
    field(w, "processing_updates", r.sum("processing_updates"));
    field(w, "protocol_violations", r.sum("protocol_violations"));
  }

  const auto& h = r.latency_us;
  w.Key(subscribing ? "latency_us" : "rtt_us");
  w.StartObject();
  field(w, "count", h.count());
  field(w, "mean", h.mean());
  field(w, "p50", h.percentile(0.50));
  field(w, "p90", h.percentile(0.90));
  field(w, "p99", h.percentile(0.99));
  field(w, "p999", h.percentile(0.999));
  field(w, "max", h.max());
  w.EndObject();

  w.Key("server");
  w.StartObject();
  field(w, "pid", static_cast<std::int64_t>(opts.pid));
  if (s.server_cpu_s >= 0) {
    field(w, "cpu_s", s.server_cpu_s);
    field(w, "cpu_pct", window_s > 0 ? 100 * s.server_cpu_s / window_s : 0.0);
    field(w, (std::string("cpu_us_per_") + op_singular(opts.mode)).c_str(),
          ops ? s.server_cpu_s * 1e6 / static_cast<double>(ops) : 0.0);
  }
  if (s.rss_before_kib >= 0) {
    field(w, "rss_before_kib", static_cast<std::int64_t>(s.rss_before_kib));
    field(w, "rss_ready_kib", static_cast<std::int64_t>(s.rss_ready_kib));
    field(w, "rss_end_kib", static_cast<std::int64_t>(s.rss_end_kib));
    field(w, "rss_per_conn_kib",
          ready
              ? static_cast<double>(s.rss_ready_kib - s.rss_before_kib) / static_cast<double>(ready)
              : 0.0);
  }
  w.EndObject();
  field(w, "bench_cpu_pct", window_s > 0 ? 100 * r.bench_cpu_s / window_s : 0.0);

  bool ok = s.setup_complete && ready == opts.connections && r.sum("disconnects") == 0 &&
            r.sum("connect_failures") == 0 && r.sum("bad_frames") == 0 &&
            (ops > 0 || opts.mode == mode::conns);
  if (subscribing)
    ok = ok && r.sum("seq_gaps") == 0 && r.sum("seq_disorder") == 0;
  if (opts.mode == mode::calc)
    ok = ok && r.sum("wrong_values") == 0 && r.sum("calc_failed") == 0 && r.sum("errors") == 0;
  field(w, "ok", ok);
  field(w, "first_error", r.first_error);
  w.EndObject();
  return buffer.GetString();
}

} // namespace rtd::bench
