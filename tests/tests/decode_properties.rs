//! Property test of the response decoder: for arbitrary bytes, grammar-generated JSON and
//! mutations of real answers, `decode_response` never panics, and what it returns agrees with
//! the input: `Ok` only for a JSON object with `"ok": true`, `Error::Api` only for `"ok": false`
//! with a non-empty `error` string (whose code it keeps), and every other failure carries the
//! status and at most `SNIPPET_LEN` bytes of the body. Deterministic (fixed seed); prints how
//! many inputs ran.

use slack_api::admin::AdminUsersInviteRequest;
use slack_api::chat::ChatPostMessageRequest;
use slack_api::users::UsersListRequest;
use slack_api::{Error, Method, MethodError, SNIPPET_LEN, decode_response};

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

fn json_value(rng: &mut Rng, depth: u32) -> String {
    let leaf = depth > 3 || rng.below(3) == 0;
    match if leaf { rng.below(6) } else { 6 + rng.below(2) } {
        0 => "null".into(),
        1 => rng.pick(&["true", "false"]).to_string(),
        2 => format!("{}", rng.next() as i64),
        3 => format!("{}.{}", rng.below(1000), rng.below(1_000_000)),
        4 => format!("\"{}\"", rng.pick(&["", "ok", "error", "channel_not_found", "\\u00e9\\n", "ratelimited", "\\ud800"])),
        5 => "1e999".into(),
        6 => {
            let items: Vec<String> = (0..rng.below(4)).map(|_| json_value(rng, depth + 1)).collect();
            format!("[{}]", items.join(","))
        }
        _ => {
            let keys = ["ok", "error", "warning", "response_metadata", "needed", "provided", "members", "next_cursor", "warnings", "x"];
            let fields: Vec<String> =
                (0..rng.below(5)).map(|_| format!("\"{}\":{}", rng.pick(&keys), json_value(rng, depth + 1))).collect();
            format!("{{{}}}", fields.join(","))
        }
    }
}

fn input(rng: &mut Rng) -> Vec<u8> {
    match rng.below(4) {
        0 => (0..rng.below(300)).map(|_| rng.next() as u8).collect(),
        1 => json_value(rng, 0).into_bytes(),
        2 => {
            // An envelope with random parts.
            let ok = rng.pick(&["true", "false", "null", "\"true\"", "1"]).to_string();
            let mut s = format!("{{\"ok\":{ok}");
            if rng.below(2) == 0 {
                s.push_str(&format!(",\"error\":{}", json_value(rng, 2)));
            }
            if rng.below(2) == 0 {
                s.push_str(&format!(",\"response_metadata\":{}", json_value(rng, 1)));
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
fn check<M: Method>(status: u16, body: &[u8]) {
    let parsed: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let ok_field = parsed.as_ref().and_then(|v| v.get("ok")).and_then(|v| v.as_bool());
    match decode_response::<M>(status, body) {
        Ok(_) => assert_eq!(ok_field, Some(true), "decoded a body without ok:true: {:?}", String::from_utf8_lossy(body)),
        Err(Error::Api(e)) => {
            assert_eq!(ok_field, Some(false), "API error from a body without ok:false");
            let code = parsed.as_ref().and_then(|v| v.get("error")).and_then(|v| v.as_str()).unwrap();
            assert!(!code.is_empty());
            assert_eq!(e.error.code(), code);
            assert_eq!(e.status, status);
        }
        Err(Error::Http { status: s, body: snippet, .. }) | Err(Error::Decode { status: s, body: snippet, .. }) => {
            assert_eq!(s, status);
            assert!(snippet.len() <= SNIPPET_LEN * 3, "snippet of {} bytes", snippet.len());
        }
        Err(other) => panic!("decoding alone produced {other:?}"),
    }
}

#[test]
fn arbitrary_responses_never_panic_the_decoder() {
    const INPUTS: usize = 150_000;
    let mut rng = Rng(0x5EED_51AC_C0DE_2026);
    let statuses = [200, 200, 200, 201, 400, 404, 429, 500, 502, 503];
    for i in 0..INPUTS {
        let body = input(&mut rng);
        let status = *rng.pick(&statuses);
        match i % 3 {
            0 => check::<UsersListRequest>(status, &body),
            1 => check::<ChatPostMessageRequest>(status, &body),
            _ => check::<AdminUsersInviteRequest>(status, &body),
        }
    }
    eprintln!("decode property: {INPUTS} inputs decoded without a panic, every answer consistent with its input");
}
