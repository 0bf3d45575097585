# Turns the results of scripts/bench.sh (a JSON array, one object a scenario) into the Markdown
# tables of docs/performance.md. $hash is the ceiling app's hash-rate line.

def title: {
  "ceiling-ping": "ceiling `GET /ping` (Kestrel alone)",
  "ceiling-db": "ceiling `GET /db` (one primary-key SELECT)",
  "me-local": "`GET /v1/users/me`, purpose `local`",
  "me-public": "`GET /v1/users/me`, purpose `public`",
  "introspect": "`POST /v1/token/introspect`, live `v4.local` tokens",
  "sessions": "`GET /v1/sessions`",
  "posts-first": "`GET /v1/posts`, first page of 20",
  "posts-deep": "`GET /v1/posts`, a deep page of 20",
  "refresh": "`POST /v1/token/refresh`",
  "login": "`POST /v1/login`",
  "login-storm": "`POST /v1/login` storm (½ right, ¼ wrong password, ¼ unknown user)",
  "signup": "`POST /v1/users/signup`"
}[sub("@1M$"; "")] // .;
def f0: if . == null then "—" else (. * 1 | round | tostring) end;
def f1: if . == null then "—" else ((. * 10 | round) / 10 | tostring) end;
def f2: if . == null then "—" else ((. * 100 | round) / 100 | tostring) end;
def ms: if . == null then "—" elif . >= 100 then f0 elif . >= 10 then f1 else f2 end;
def mark(ok): if ok then "met" else "**missed**" end;
def median: sort | if length == 0 then null else .[(length - 1) / 2 | floor] end;
def list(f): map(f | tostring) | join(", ");

# Rows named "name#N" are rounds of one scenario: one row with the medians (sums of errors and
# requests, the highest RSS), keeping the rounds for per-pair ratios.
def merge_rounds:
  (reduce .[] as $row ({order: [], groups: {}};
     ($row.name | sub("#[0-9]+$"; "")) as $base
     | (if .groups[$base] == null then .order += [$base] else . end)
     | .groups[$base] += [$row])) as $g
  | [ $g.order[] as $base | $g.groups[$base] as $rows
      | if ($rows | length) == 1 and $rows[0].name == $base then $rows[0]
        else $rows[0] + {
          name: $base,
          rps: ($rows | map(.rps) | median), p50_ms: ($rows | map(.p50_ms) | median), p99_ms: ($rows | map(.p99_ms) | median),
          socket_errors: ($rows | map(.socket_errors) | add), bad_status: ($rows | map(.bad_status) | add),
          requests: ($rows | map(.requests) | add), rss_mib: ($rows | map(.rss_mib) | max),
          serve_cpu_us: ($rows | map(.serve_cpu_us) | median), db_cpu_us: ($rows | map(.db_cpu_us) | median),
          rounds: ($rows | map({rps, p50_ms, p99_ms}))}
        end ];
# a's value over b's, round by round.
def per_round(a; b; f): [range(0; [(a.rounds // []) | length, (b.rounds // []) | length] | min) as $i | (a.rounds[$i] | f) / (b.rounds[$i] | f)];

merge_rounds
| (map({key: .name, value: .}) | from_entries) as $r
| ($r["ceiling-db"]) as $dbrow
| ($dbrow.rps) as $db
| ($hash.cores_over_time_per_hash) as $hashes
| def ceiling_of(name):
    if (name | test("^(login|signup)")) then {rps: ($hash.parallel_hashes_per_second // $hashes), what: "bare Argon2id"}
    elif (name | test("^ceiling")) then null
    else {rps: $db, what: "`GET /db`"} end;
def errors:
  if .skipped then "—"
  else ((.socket_errors + .bad_status) | tostring)
    + (if .name == "login-storm" then " (" + (.statuses | to_entries | map("\(.key): \(.value)") | join(", ")) + ")" else "" end)
  end;
def row:
  if .skipped then "| \(.name | title) | — | skipped: \(.skipped) | | | | | | | |"
  else ceiling_of(.name) as $c
    | (if $c and .rounds and $dbrow.rounds and (.name | test("^ceiling") | not) then per_round(.; $dbrow; .rps) | median
       elif $c and $c.rps then .rps / $c.rps else null end) as $ratio
    | "| \(.name | title) | \(.connections) | \(.rps | f0) | \(.p50_ms | ms) | \(.p99_ms | ms) | \(errors) | \(.rss_mib)\(if .sampled_rss_mib then " (sampled \(.sampled_rss_mib))" else "" end) | \(.serve_cpu_us | f0) + \(.db_cpu_us | f0) | \(if $c then $c.what else "" end) | \(if $ratio then ($ratio | f2) else "" end) |"
  end;

"| scenario (1,000 users) | connections | req/s | p50 ms | p99 ms | errors | peak RSS MiB | CPU µs/request: server + PostgreSQL | ceiling | ratio |",
"|---|---|---|---|---|---|---|---|---|---|",
(.[] | select(.phase != "scale") | row),
"",
"Errors are socket errors, timeouts and answers outside 2xx (in the storm: outside 200/401/429). Peak RSS is the serving process's `VmHWM`, reset before each measured run; the storm's is also sampled every 200 ms. CPU per request is the CPU time the serving process and the PostgreSQL server spent during the measured run divided by the requests answered (wrk's own CPU is not counted): it moves far less with other load on the machine than req/s does. Ratios compare req/s with the scenario's ceiling: `GET /db` for requests that need the database, the bare Argon2id rate (one thread per core hashing in a loop, measured just before login) for those that hash a password.",
"",
"| target | measured | |",
"|---|---|---|",
( ["me-local", "introspect"][] as $name | $r[$name] as $me | $dbrow as $c | select($me.rps and $c.rps)
  | per_round($me; $c; .rps) as $rps | per_round($me; $c; .p99_ms) as $p99
  | ($rps | median) as $rps_ratio | ($p99 | median) as $p99_ratio
  | "| \(if $name == "introspect" then "introspection of a live token" else "`GET /v1/users/me` (local)" end) ≥ 1.5 × ceiling `GET /db` req/s at \($me.connections) connections | \($rps_ratio | f2) × (median of \($rps | length) alternating rounds: \($rps | map(f2) | join(", "))) | \(mark($rps_ratio >= 1.5)) |",
    "| its p99 ≤ the ceiling's p99 | \($p99_ratio | f2) × (rounds: \($p99 | map(f2) | join(", ")); medians \($me.p99_ms | ms) vs \($c.p99_ms | ms) ms) | \(mark($p99_ratio <= 1)) |",
    "| (CPU-bound projection: the ceiling's CPU per request ÷ this one's) | \(($c.serve_cpu_us + $c.db_cpu_us) / ($me.serve_cpu_us + $me.db_cpu_us) | f2) × | |"),
( $r["me-local"] as $l | $r["me-public"] as $p | select($l.rps and $p.rps)
  | per_round($p; $l; .rps) as $pl
  | "| `v4.public` ≥ 0.9 × `v4.local` req/s (`GET /v1/users/me`) | \($pl | median | f2) × (rounds: \($pl | map(f2) | join(", "))) | \(mark(($pl | median) >= 0.9)) |",
    "| (CPU: `v4.local`'s per request ÷ `v4.public`'s) | \(($l.serve_cpu_us + $l.db_cpu_us) / ($p.serve_cpu_us + $p.db_cpu_us) | f2) × | |"),
( $r["refresh"] as $f | $dbrow as $c | select($f.rps and $c.rps)
  | "| refresh ≥ 0.5 × ceiling `GET /db` req/s | \($f.rps / $c.rps | f2) × | \(mark($f.rps >= 0.5 * $c.rps)) |",
    "| (CPU-bound projection: the ceiling's CPU per request ÷ refresh's) | \(($c.serve_cpu_us + $c.db_cpu_us) / ($f.serve_cpu_us + $f.db_cpu_us) | f2) × | |"),
( $r["login"] as $l | select($l.rps)
  | "| login ≥ 0.85 × the bare Argon2id rate (one thread per core hashing, just before login) | \($l.rps | f1) / \($hash.parallel_hashes_per_second | f1) = \($l.rps / $hash.parallel_hashes_per_second | f2) × | \(mark($l.rps >= 0.85 * $hash.parallel_hashes_per_second)) |",
    "| (CPU-bound projection: the bare rate's CPU per hash ÷ login's CPU, server + PostgreSQL) | \($hash.parallel_cpu_ms_per_hash | f2) ms ÷ \(($l.serve_cpu_us + $l.db_cpu_us) / 1000 | f2) ms = \($hash.parallel_cpu_ms_per_hash * 1000 / ($l.serve_cpu_us + $l.db_cpu_us) | f2) × | |",
    "| (the same against cores ÷ time per hash, one thread) | \($l.rps | f1) / \($hashes | f1) = \($l.rps / $hashes | f2) × | |"),
( $r["login-storm"] as $s | select($s.rps)
  | "| storm: only 200/401/429, no timeouts | \($s.socket_errors) socket errors and timeouts, \($s.bad_status) other answers | \(mark($s.socket_errors == 0 and $s.bad_status == 0)) |",
    "| storm: RSS < 1 GiB | \([$s.rss_mib, ($s.sampled_rss_mib // 0)] | max) MiB | \(mark(([$s.rss_mib, ($s.sampled_rss_mib // 0)] | max) < 1024)) |"),
"| token check ≤ 1.2 × the raw libsodium primitives | not measured here: `bench/Paseto.Benchmarks`, see docs/performance-paseto.md | — |",
( map(select(.phase == "scale")) as $scale | select($scale | length > 0)
  | "",
    "| scale (p50) | 1,000 users | 1,000,000 users | ratio | flat (≤ 1.2 ×) | req/s 1k → 1M | CPU µs/request 1k → 1M |",
    "|---|---|---|---|---|---|---|",
    ( $scale[] | . as $big | $r[.name | sub("@1M$"; "")] as $small
      | if .skipped or ($small.skipped // false) then "| \(.name | title) | — | — | — | skipped: \(.skipped // $small.skipped) | | |"
        else "| \(.name | title) | \($small.p50_ms | ms) ms | \($big.p50_ms | ms) ms | \($big.p50_ms / $small.p50_ms | f2) | \(mark($big.p50_ms <= 1.2 * $small.p50_ms)) | \($small.rps | f0) → \($big.rps | f0) | \($small.serve_cpu_us + $small.db_cpu_us | f0) → \($big.serve_cpu_us + $big.db_cpu_us | f0) |" end ))
