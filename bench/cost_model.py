"""The cost model: what the service costs a month, from a `make bench` run, against Cognito.

  cost_model.py RESULTS.json [--chart bench/cost.png] [--markdown BENCHMARKS.md]

Per operation it takes the CPU time, the DynamoDB request units and the SES mails the bench
measured. On Lambda, a function gets a share of one vCPU proportional to its memory, a whole one
at 1,769 MB, so the CPU part of a request stretches by 1,769 / memory below that; each DynamoDB
or SES call adds an assumed in-region round trip. Billed duration rounds up to the millisecond.
Prices are AWS's published list prices for us-east-1 (arm64 Lambda), as written below; check
them before relying on a figure. It needs a run with the cold, warm and calls scenarios.
"""

import argparse
import json
import math

from support import replace_section

# Prices in USD.
LAMBDA_GB_SECOND = 0.0000133334          # arm64
LAMBDA_REQUEST = 0.20 / 1e6
HTTP_API_REQUEST = 1.00 / 1e6            # first 300 million a month
DYNAMODB_WRITE_UNIT = 0.625 / 1e6        # on-demand
DYNAMODB_READ_UNIT = 0.125 / 1e6
DYNAMODB_GB_MONTH = 0.25
SECRET_MONTH = 0.40                      # two secrets: the pepper and the signing keys
SECRETS_CALL = 0.05 / 10_000
LOGS_GB = 0.50                           # CloudWatch Logs ingestion
SES_MAIL = 0.10 / 1000                   # outbound, one recipient per mail; no free tier counted
COGNITO_FREE_MAU = 10_000
COGNITO_ESSENTIALS = [(math.inf, 0.015)]
COGNITO_LITE = [(100_000, 0.0055), (1_000_000, 0.0046), (10_000_000, 0.00325), (math.inf, 0.0025)]

# Assumptions.
FULL_VCPU_MB = 1769
DYNAMODB_CALL_MS = 5          # one in-region DynamoDB round trip
SES_CALL_MS = 50              # one in-region SES SendEmail, which the request waits for (assumed)
LOG_BYTES = 600               # our request line plus Lambda's START/END/REPORT lines
COLD_START_SHARE = 0.01       # invocations that start an instance (init is billed)
BYTES_PER_ACCOUNT = 2048      # the account, its id item and a few sessions
MEMORY_SIZES = [128, 256, 512, 1024, 1769]
MAUS = [10_000, 100_000, 1_000_000]
# A month of one active user: 5 % are new (sign-up, with its verification mail, the code
# entered, and activation), and one new user in five asks for the code again; four sign-ins, a
# refresh for every 15 minutes of use across about 25 hours, and fifty reads of the account;
# 1 % rename themselves; 2 % forget their password (a reset mail, the code entered) and 0.5 %
# move their account to another address (a mail to it, the code entered).
PROFILE = {
    "sign_up": 0.05, "verify": 0.05, "resend": 0.01, "activate": 0.05,
    "sign_in": 4, "refresh": 100, "me": 50, "update_me": 0.01,
    "forgot": 0.02, "reset": 0.02, "change_email": 0.005, "confirm_email": 0.005,
}
# Operations the warm scenario cannot repeat, with the one whose CPU time stands in for theirs:
# a resend is allowed only a minute after the sign-up's mail, and does what a forgot does (the
# address's code record read and written, one mail rendered and sent).
CPU_AS = {"resend": "forgot"}


def duration_ms(cpu_ms, calls, mails, memory_mb):
    share = min(1.0, memory_mb / FULL_VCPU_MB)
    return cpu_ms / share + calls * DYNAMODB_CALL_MS + mails * SES_CALL_MS


def mails(results, operation):
    """SES SendEmail calls of one request of `operation`, as the calls pass counted them (each
    to one address, each accepted by moto's SES: a mail SES bills)."""
    return sum(results["service"]["dynamodb_calls"][operation].get("ses", {}).values())


def per_request(results, operation, memory_mb):
    """USD for one request of `operation` at `memory_mb`, of which SES, and its modelled duration."""
    service = results["service"]
    warm = service["warm"][operation if operation in service["warm"] else CPU_AS[operation]]
    counts = service["dynamodb_calls"][operation]
    calls, sent = sum(counts["calls"].values()), mails(results, operation)
    ms = duration_ms(warm["cpu_ms"], calls, sent, memory_mb)
    lambda_cost = math.ceil(ms) / 1000 * memory_mb / 1024 * LAMBDA_GB_SECOND + LAMBDA_REQUEST
    dynamodb = counts["read_units"] * DYNAMODB_READ_UNIT + counts["write_units"] * DYNAMODB_WRITE_UNIT
    ses = sent * SES_MAIL
    return lambda_cost + dynamodb + ses + HTTP_API_REQUEST + LOG_BYTES / 1e9 * LOGS_GB, ses, ms


def init_cost(results, memory_mb):
    init_ms = sorted(results["service"]["cold"]["init_ms"])[len(results["service"]["cold"]["init_ms"]) // 2]
    ms = init_ms / min(1.0, memory_mb / FULL_VCPU_MB)
    return math.ceil(ms) / 1000 * memory_mb / 1024 * LAMBDA_GB_SECOND + 2 * SECRETS_CALL


def monthly(results, maus, memory_mb):
    return monthly_parts(results, maus, memory_mb)[0]


def monthly_parts(results, maus, memory_mb):
    """USD a month for `maus` with the usage profile, and the SES part of it."""
    requests = sum(PROFILE.values()) * maus
    total = ses = 0.0
    for op, n in PROFILE.items():
        usd, op_ses, _ = per_request(results, op, memory_mb)
        total += usd * n * maus
        ses += op_ses * n * maus
    total += requests * COLD_START_SHARE * init_cost(results, memory_mb)
    return total + 2 * SECRET_MONTH + maus * BYTES_PER_ACCOUNT / 1e9 * DYNAMODB_GB_MONTH, ses


def mails_per_mau(results):
    return sum(mails(results, op) * n for op, n in PROFILE.items())


def missing(results):
    """What the results lack for the model, as a sentence, or None."""
    service = results.get("service", {})
    needs = [name for name, key in (("cold", "cold"), ("warm", "warm"), ("calls", "dynamodb_calls")) if key not in service]
    if needs:
        return f"the run has no {', '.join(needs)} scenario: no cost model"
    absent = [op for op in PROFILE
              if op not in service["dynamodb_calls"] or (op not in service["warm"] and CPU_AS.get(op) not in service["warm"])]
    if absent:
        return f"the run did not measure {', '.join(absent)} (an older bench): no cost model"
    return None


def cognito(maus, tiers):
    """Cognito's monthly price for `maus`: tiers of (up to this MAU, USD per MAU) above the free ones."""
    cost, lower = 0.0, COGNITO_FREE_MAU
    for upper, price in tiers:
        if maus > lower:
            cost += (min(maus, upper) - lower) * price
        lower = upper
    return cost


def tables(results):
    ops = list(PROFILE)
    stand_ins = [f"{op}'s CPU time is {CPU_AS[op]}'s" for op in ops if op in CPU_AS and op not in results["service"]["warm"]]
    lines = [f"From the run of {results['date']}, commit {results['commit']}"
             + (f" ({results['label']})" if results.get("label") else "") + "."
             + (f" Not measured warm, so modelled: {'; '.join(stand_ins)}." if stand_ins else ""), "",
             "Per million requests (SES included), and modelled duration, by memory size:", "",
             "| operation | per MAU a month | mails | " + " | ".join(f"{mb} MB" for mb in MEMORY_SIZES) + " |",
             "|---|---|---|" + "---|" * len(MEMORY_SIZES)]
    for op in ops:
        cells = []
        for mb in MEMORY_SIZES:
            usd, _, ms = per_request(results, op, mb)
            cells.append(f"${usd * 1e6:.2f} ({ms:.0f} ms)")
        lines.append(f"| {op} | {PROFILE[op]:g} | {mails(results, op):g} | " + " | ".join(cells) + " |")
    per_mau = mails_per_mau(results)
    lines += ["", f"A month, with the usage profile above ({per_mau:g} mails per MAU, at ${SES_MAIL * 1000:.2f} per 1,000):", "",
              "| MAU | " + " | ".join(f"ours, {mb} MB" for mb in MEMORY_SIZES)
              + " | of which SES (mails) | Cognito Lite | Cognito Essentials |",
              "|---|" + "---|" * (len(MEMORY_SIZES) + 3)]
    for maus in MAUS:
        ours = " | ".join(f"${monthly(results, maus, mb):,.2f}" for mb in MEMORY_SIZES)
        ses = monthly_parts(results, maus, MEMORY_SIZES[0])[1]
        lines.append(f"| {maus:,} | {ours} | ${ses:,.2f} ({per_mau * maus:,.0f}) "
                     f"| ${cognito(maus, COGNITO_LITE):,.2f} | ${cognito(maus, COGNITO_ESSENTIALS):,.2f} |")
    return "\n".join(lines)


def chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    maus = [int(10 ** (3 + i / 10)) for i in range(0, 41)]
    figure, axes = plt.subplots(figsize=(8, 5), dpi=100)
    for mb in (128, 512, 1769):
        axes.plot(maus, [monthly(results, m, mb) for m in maus], label=f"this service, {mb} MB")
    axes.plot(maus, [cognito(m, COGNITO_LITE) for m in maus], "--", label="Cognito Lite")
    axes.plot(maus, [cognito(m, COGNITO_ESSENTIALS) for m in maus], "--", label="Cognito Essentials")
    axes.set_xscale("log")
    axes.set_yscale("symlog", linthresh=1)
    axes.set_ylim(bottom=0)
    axes.set_xlabel("monthly active users")
    axes.set_ylabel("USD per month")
    axes.set_title("Cost per month (us-east-1 list prices; profile in bench/cost_model.py)")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--chart")
    parser.add_argument("--markdown")
    args = parser.parse_args()
    results = json.load(open(args.results, encoding="utf-8"))
    why = missing(results)
    if why:
        print(why)
        return
    text = tables(results)
    print(text)
    if args.chart:
        chart(results, args.chart)
    if args.markdown:
        replace_section(args.markdown, "cost", text)


if __name__ == "__main__":
    main()
