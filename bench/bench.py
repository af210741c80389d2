"""`make bench`: measures the service against a hello-world lambda_http function built in the same
run, prints one table, writes the raw numbers as JSON and the table into BENCHMARKS.md.

  bench.py --service BIN --hello BIN [--arm64 BOOTSTRAP --hello-arm64 BOOTSTRAP]
           [--cold-runs 10] [--runs 200] [--json FILE] [--markdown BENCHMARKS.md] [--label TEXT]
           [--scenarios cold,warm,existence,idle,concurrent,calls]

The environment is the service's (TABLE_NAME, the secrets' ids, AWS_ENDPOINT_URL_*, EMAIL_FROM
verified in moto's SES), as scripts/bench.sh sets it up against DynamoDB Local and moto.
Figures are this machine's, not AWS's: what they are good for is comparing two builds, and the
ratio to the floor. --scenarios runs only some (all by default; cold, existence, idle and
concurrent need warm's accounts, which then runs too); the arm64 sizes are read whenever given.
"""

import argparse
import datetime
import io
import json
import os
import platform
import subprocess
import zipfile

import scenarios
from dynamodb_proxy import CountingProxy, ses_request
from support import replace_section

MIB = 1024 * 1024
IN_FLIGHT = 8


def zipped_size(path):
    """The size of a Lambda deployment package holding `path` as `bootstrap`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.write(path, "bootstrap")
    return buffer.tell()


def machine():
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    return f"{model}, {os.cpu_count()} CPUs, Linux {platform.release()}"


def commit():
    done = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True)
    return done.stdout.strip() or "?"


SCENARIOS = ("cold", "warm", "existence", "idle", "concurrent", "calls")


def measure(args):
    env = {"RUST_LOG": "info"}
    chosen = set(args.scenarios)
    if chosen & {"cold", "existence", "idle", "concurrent"}:
        chosen.add("warm")
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(), "commit": commit(), "label": args.label,
        "scenarios": [name for name in SCENARIOS if name in chosen],
        "service": {}, "hello": {},
    }
    service, hello = results["service"], results["hello"]
    if "warm" in chosen:
        hello["warm"] = scenarios.hello_warm(args.hello, args.runs)
        warm = scenarios.service_warm(args.service, env, args.runs)
        service["warm"] = dict(warm["operations"])
        service["peak_rss_mib"] = {"sign-ups and sign-ins": warm["peak_rss_mib"]}
    if "cold" in chosen:
        service["cold"] = scenarios.service_cold(args.service, env, warm["token"], args.cold_runs)
        hello["cold"] = scenarios.hello_cold(args.hello, args.cold_runs)
    if "idle" in chosen:
        service["peak_rss_mib"]["no hashing"] = scenarios.service_idle_rss(args.service, env, warm["token"], args.runs)
    if "existence" in chosen:
        service["existence"] = scenarios.existence_timing(args.service, env, warm["accounts"], args.runs)
    if "concurrent" in chosen:
        sign_ins = [lambda f, e=e: scenarios.Accounts(f).sign_in(e) for e in warm["accounts"]]
        hellos = [lambda f: scenarios.expect(f, scenarios.event("GET", "/"), 200)] * args.runs
        service["concurrent"] = scenarios.many_in_flight(args.service, env, sign_ins, IN_FLIGHT)
        hello["concurrent"] = scenarios.many_in_flight(args.hello, {}, hellos, IN_FLIGHT)
    if "calls" in chosen:
        proxy = CountingProxy(os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
        ses_proxy = CountingProxy(os.environ["AWS_ENDPOINT_URL_SESV2"], classify=ses_request)
        try:
            # Per operation: DynamoDB calls and request units, and under "ses" the SES calls.
            service["dynamodb_calls"] = scenarios.calls_per_operation(args.service, env, proxy, ses_proxy)
        finally:
            proxy.stop()
            ses_proxy.stop()
    sizes = {}
    for name, path in (("service", args.arm64), ("hello", args.hello_arm64)):
        if path:
            sizes[name] = {"bootstrap": os.path.getsize(path), "zipped": zipped_size(path)}
    results["arm64"] = sizes
    return results


def rows(results):
    """(figure, service, floor, target, met) for the table: the figures of the scenarios run."""
    service, hello = results["service"], results["hello"]
    med = scenarios.median
    table = []
    if "cold" in service:
        init, hello_init = med(service["cold"]["init_ms"]), med(hello["cold"]["init_ms"])
        first, me_p50 = med(service["cold"]["first_me_ms"]), service["warm"]["me"]["p50"]
        table += [
            ("init (median, ms)", init, hello_init, "≤ 2× floor", init <= 2 * hello_init),
            ("first invocation, GET /user/me/ (median, ms)", first, med(hello["cold"]["first_ms"]),
             f"≤ 2× warm p50 ({2 * me_p50:.2f})", first <= 2 * me_p50),
        ]
    if "warm" in service:
        hello_warm = hello["warm"]
        for name, op in service["warm"].items():
            table.append((f"warm {name} p50 / p99 (ms)", (op["p50"], op["p99"]), (hello_warm["p50"], hello_warm["p99"]), "", None))
        for name, op in service["warm"].items():
            table.append((f"CPU per {name} (ms)", op["cpu_ms"], hello_warm["cpu_ms"], "", None))
    if "existence" in service:
        known, unknown = service["existence"]["known"], service["existence"]["unknown"]
        table.append(("PREVENT_USER_EXISTENCE_ERRORS: wrong password vs unknown address, p50 / p99 (ms)",
                      f"{cell((known['p50'], known['p99']))} vs {cell((unknown['p50'], unknown['p99']))}",
                      "", "within 10 % at p50", abs(unknown["p50"] - known["p50"]) <= 0.1 * known["p50"]))
    rss = service.get("peak_rss_mib", {})
    floor_rss = hello["warm"]["peak_rss_mib"] if "warm" in hello else ""
    if "no hashing" in rss:
        table.append(("peak RSS, no hashing (MiB)", rss["no hashing"], floor_rss, "", None))
    if "sign-ups and sign-ins" in rss:
        peak = rss["sign-ups and sign-ins"]
        table.append(("peak RSS, sign-ups, sign-ins, resets and e-mail changes (MiB)", peak, floor_rss, "≤ 64", peak <= 64))
    if "concurrent" in service:
        conc, hello_conc = service["concurrent"], hello["concurrent"]
        table.append((f"{IN_FLIGHT} in flight: sign-ins per second", conc["per_second"], hello_conc["per_second"], "", None))
        table.append((f"{IN_FLIGHT} in flight: peak RSS (MiB)", conc["peak_rss_mib"], hello_conc["peak_rss_mib"], "", None))
    sizes = results["arm64"]
    if "service" in sizes and "hello" in sizes:
        s, h = sizes["service"], sizes["hello"]
        table.append(("arm64 bootstrap (MiB)", s["bootstrap"] / MIB, h["bootstrap"] / MIB, "≤ 6", s["bootstrap"] <= 6 * MIB))
        table.append(("arm64 zipped (MiB)", s["zipped"] / MIB, h["zipped"] / MIB, "≤ 2.5", s["zipped"] <= 2.5 * MIB))
    for name, counts in service.get("dynamodb_calls", {}).items():
        text = ", ".join(f"{count} {op}" for op, count in sorted(counts["calls"].items())) or "none"
        text += f" ({counts['read_units']:g} RRU, {counts['write_units']:g} WRU)" if counts["calls"] else ""
        if "ses" in counts:
            text += "; SES: " + (", ".join(f"{count} {op}" for op, count in sorted(counts["ses"].items())) or "none")
        table.append((f"DynamoDB (and SES) calls: {name}", text, "none", "", None))
    return table


def cell(value):
    if isinstance(value, tuple):
        return " / ".join(cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return str(value)


def ratio(service, floor):
    if isinstance(service, tuple):
        service, floor = service[0], floor[0]
    if isinstance(service, (int, float)) and isinstance(floor, (int, float)) and floor:
        return f"{service / floor:.1f}×"
    return ""


def markdown(results):
    lines = [
        f"Run {results['date']} on {results['machine']}, commit {results['commit']}"
        + (f" ({results['label']})" if results["label"] else "") + "."
        + (f" Scenarios: {', '.join(results['scenarios'])}." if set(results.get("scenarios", SCENARIOS)) != set(SCENARIOS) else ""),
        "",
        "| figure | service | hello-world floor | ratio | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for figure, service, floor, target, met in rows(results):
        verdict = "" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {figure} | {cell(service)} | {cell(floor)} | {ratio(service, floor)} | {target} | {verdict} |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--service", required=True)
    parser.add_argument("--hello", required=True)
    parser.add_argument("--arm64")
    parser.add_argument("--hello-arm64")
    parser.add_argument("--cold-runs", type=int, default=10)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--json")
    parser.add_argument("--markdown")
    parser.add_argument("--label", default="")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated, of " + ", ".join(SCENARIOS) + " (default: all)")
    args = parser.parse_args()
    args.scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios {', '.join(sorted(unknown))} (of {', '.join(SCENARIOS)})")
    results = measure(args)
    table = markdown(results)
    print(table)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as file:
            json.dump(results, file, indent=1)
    if args.markdown:
        replace_section(args.markdown, "bench", table)


if __name__ == "__main__":
    main()
