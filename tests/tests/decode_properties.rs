//! Property test of the response decoder, over every method of the spec: for arbitrary bytes,
//! grammar-generated JSON (with each method's own field names) and mutations of real answers,
//! decoding never panics, and what it returns agrees with the input: `Ok` only for a JSON object
//! with `"ok": true`, and then it serialises back to exactly that JSON (empty lists and `null`s
//! included); `Error::Api` only for `"ok": false` with a non-empty `error` string (whose code it
//! keeps, whatever shape the other fields have); every other failure carries the status and a
//! bounded snippet of the body. Deterministic (fixed seed). `DECODE_PROPERTY_INPUTS` sets the
//! number of inputs (CI runs the default; `xtask/bench/fuzz.sh` runs a million); prints how many
//! ran and how fast.

use slack_api::SNIPPET_LEN;
use slack_api_tests::dispatch::{Decoded, METHODS, decode_by_name};

/// xorshift64*: small, fast, reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const REAL: &[&str] = &[
    r#"{"ok":true,"members":[{"id":"U1","profile":{"email":"a@b.c"}}],"response_metadata":{"next_cursor":"dXNlcjpVMEc5V0ZYTlo="}}"#,
    r#"{"ok":true,"channel":"C1","ts":"1503435956.000247","message":{"text":"hi","type":"message"}}"#,
    r#"{"ok":false,"error":"channel_not_found"}"#,
    r#"{"ok":false,"error":"missing_scope","needed":"chat:write","provided":"users:read"}"#,
    r#"{"ok":true,"warning":"superfluous_charset","response_metadata":{"warnings":["superfluous_charset"]}}"#,
    r#"<html><body><h1>502 Bad Gateway</h1></body></html>"#,
];

fn json_value(rng: &mut Rng, depth: u32, keys: &[&str]) -> String {
    let leaf = depth > 3 || rng.below(3) == 0;
    match if leaf { rng.below(6) } else { 6 + rng.below(2) } {
        0 => "null".into(),
        1 => rng.pick(&["true", "false"]).to_string(),
        2 => format!("{}", rng.next() as i64),
        3 => format!("{}.{}", rng.below(1000), rng.below(1_000_000)),
        4 => format!("\"{}\"", rng.pick(&["", "ok", "error", "channel_not_found", "\\u00e9\\n", "ratelimited", "\\ud800"])),
        5 => "1e999".into(),
        6 => {
            let items: Vec<String> = (0..rng.below(4)).map(|_| json_value(rng, depth + 1, keys)).collect();
            format!("[{}]", items.join(","))
        }
        _ => {
            const COMMON: &[&str] =
                &["ok", "error", "warning", "response_metadata", "needed", "provided", "next_cursor", "warnings", "messages", "id", "x",
                  "name", "type", "text", "ts", "user", "profile", "email", "blocks", "files", "channel", "is_bot", "subtype",
                  "elements", "access_token", "authed_user", "team", "purpose", "topic"];
            let fields: Vec<String> = (0..rng.below(6))
                .map(|_| {
                    let key = if !keys.is_empty() && rng.below(2) == 0 { rng.pick(keys) } else { rng.pick(COMMON) };
                    format!("\"{}\":{}", key, json_value(rng, depth + 1, keys))
                })
                .collect();
            format!("{{{}}}", fields.join(","))
        }
    }
}

fn input(rng: &mut Rng, keys: &[&str]) -> Vec<u8> {
    match rng.below(5) {
        0 => (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
        1 => json_value(rng, 0, keys).into_bytes(),
        2 => {
            // A success with the method's own fields, of any shape.
            let mut s = String::from("{\"ok\":true");
            for k in keys {
                if rng.below(2) == 0 {
                    s.push_str(&format!(",\"{k}\":{}", json_value(rng, 1, keys)));
                }
            }
            s.push('}');
            s.into_bytes()
        }
        3 => {
            // An envelope with random parts.
            let ok = rng.pick(&["true", "false", "null", "\"true\"", "1"]).to_string();
            let mut s = format!("{{\"ok\":{ok}");
            if rng.below(2) == 0 {
                s.push_str(&format!(",\"error\":{}", json_value(rng, 2, keys)));
            }
            if rng.below(2) == 0 {
                s.push_str(&format!(",\"response_metadata\":{}", json_value(rng, 1, keys)));
            }
            if rng.below(3) > 0 {
                s.push('}');
            }
            s.into_bytes()
        }
        _ => {
            let mut b = rng.pick(REAL).as_bytes().to_vec();
            for _ in 0..=rng.below(4) {
                match rng.below(3) {
                    0 if !b.is_empty() => {
                        let i = rng.below(b.len());
                        b[i] = rng.next() as u8;
                    }
                    1 => b.truncate(rng.below(b.len() + 1)),
                    _ => {
                        let i = rng.below(b.len() + 1);
                        b.insert(i, *rng.pick(b"{}[]\",:\\0a"));
                    }
                }
            }
            b
        }
    }
}

/// Checks the decoder's answer for one input against the properties.
fn check(method: &str, status: u16, body: &[u8]) {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let ok_field = parsed.as_ref().and_then(|v| v.get("ok")).and_then(|v| v.as_bool());
    let show = || format!("{method}: {:?}", String::from_utf8_lossy(body));
    match decode_by_name(method, status, body).expect("a method of the spec") {
        Decoded::Ok { json, .. } => {
            assert_eq!(ok_field, Some(true), "decoded a body without ok:true: {}", show());
            assert_eq!(Some(&json), parsed.as_ref(), "not serialised back exactly: {}", show());
        }
        Decoded::Api { code, status: s, .. } => {
            assert_eq!(ok_field, Some(false), "API error from a body without ok:false: {}", show());
            let sent = parsed.as_ref().and_then(|v| v.get("error")).and_then(|v| v.as_str()).unwrap();
            assert!(!sent.is_empty());
            assert_eq!(code, sent, "{}", show());
            assert_eq!(s, status);
        }
        Decoded::Snippet { status: s, snippet, .. } => {
            assert_eq!(s, status);
            assert!(snippet.len() <= SNIPPET_LEN * 3, "snippet of {} bytes", snippet.len());
            // An answer Slack's envelope calls a success or a Slack error is never reported as
            // anything else, whatever shape its other fields have.
            let code = parsed.as_ref().and_then(|v| v.get("error")).and_then(|v| v.as_str()).filter(|c| !c.is_empty());
            let lost = parsed.as_ref().is_some_and(|v| v.is_object())
                && (ok_field == Some(true) || (ok_field == Some(false) && code.is_some()));
            assert!(!lost, "an answer with a good envelope failed to decode: {}", show());
        }
        Decoded::Other(e) => panic!("decoding alone produced {e}: {}", show()),
    }
}

#[test]
fn arbitrary_responses_never_panic_the_decoder() {
    let inputs: usize = std::env::var("DECODE_PROPERTY_INPUTS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let mut rng = Rng(0x5EED_51AC_C0DE_2026);
    let statuses = [200, 200, 200, 201, 400, 404, 429, 500, 502, 503];
    let started = std::time::Instant::now();
    for i in 0..inputs {
        let (method, _, keys, _) = METHODS[i % METHODS.len()];
        let body = input(&mut rng, keys);
        let status = *rng.pick(&statuses);
        check(method, status, &body);
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "decode property: {inputs} inputs over {} methods in {secs:.1} s ({:.0} inputs/s): 0 panics, every answer consistent with its input",
        METHODS.len(),
        inputs as f64 / secs
    );
}
