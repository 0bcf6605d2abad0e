//! An HTTP request to `/api/<method>`, read as Slack reads one: the token from
//! `Authorization: Bearer` (or a `token` argument), client credentials from HTTP Basic, and the
//! arguments from the query string and a form, multipart or JSON body.

use slack_api::FileUpload;

/// The parts of a call the checks need.
#[derive(Debug, Default)]
pub(crate) struct Incoming {
    pub(crate) token: Option<String>,
    /// HTTP Basic credentials (the OAuth exchange).
    pub(crate) basic: Option<(String, String)>,
    /// Text arguments in arrival order (query first, then body).
    pub(crate) args: Vec<(String, String)>,
    pub(crate) files: Vec<(String, FileUpload)>,
}

/// A request Slack refuses before reading the arguments, with Slack's code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BadRequest(pub(crate) &'static str);

/// Reads a request. `json_ok`: the method takes JSON bodies.
pub(crate) fn read(
    query: Option<&str>,
    headers: &axum::http::HeaderMap,
    body: &[u8],
    json_ok: bool,
) -> Result<Incoming, BadRequest> {
    let mut inc = Incoming::default();
    if let Some(q) = query {
        inc.args.extend(form_urlencoded::parse(q.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())));
    }
    let header = |name: axum::http::HeaderName| headers.get(name).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    if let Some(auth) = header(axum::http::header::AUTHORIZATION) {
        if let Some(token) = auth.strip_prefix("Bearer ") {
            inc.token = Some(token.trim().to_owned());
        } else if let Some(basic) = auth.strip_prefix("Basic ") {
            inc.basic = decode_basic(basic.trim());
        }
    }
    let content_type = header(axum::http::header::CONTENT_TYPE);
    match content_type {
        None if body.is_empty() => {}
        None => return Err(BadRequest("missing_post_type")),
        Some(ct) => {
            let mut params = ct.split(';');
            let essence = params.next().unwrap_or_default().trim().to_ascii_lowercase();
            let mut boundary = None;
            for p in params {
                let Some((k, v)) = p.split_once('=') else { continue };
                let v = v.trim().trim_matches('"');
                match k.trim().to_ascii_lowercase().as_str() {
                    "charset" if !["utf-8", "utf8", "iso-8859-1"].contains(&v.to_ascii_lowercase().as_str()) => {
                        return Err(BadRequest("invalid_charset"));
                    }
                    "boundary" => boundary = Some(v.to_owned()),
                    _ => {}
                }
            }
            match essence.as_str() {
                "application/x-www-form-urlencoded" | "text/plain" => {
                    if std::str::from_utf8(body).is_err() {
                        return Err(BadRequest("invalid_form_data"));
                    }
                    inc.args.extend(form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())));
                }
                "multipart/form-data" => {
                    let boundary = boundary.ok_or(BadRequest("invalid_form_data"))?;
                    multipart(body, &boundary, &mut inc).map_err(|()| BadRequest("invalid_form_data"))?;
                }
                "application/json" => {
                    if !json_ok {
                        return Err(BadRequest("invalid_post_type"));
                    }
                    let value: serde_json::Value = serde_json::from_slice(body).map_err(|_| BadRequest("invalid_json"))?;
                    let serde_json::Value::Object(map) = value else { return Err(BadRequest("json_not_object")) };
                    for (k, v) in map {
                        let text = match v {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        };
                        inc.args.push((k, text));
                    }
                    // A JSON body carries the token only in the header.
                    inc.args.retain(|(k, _)| k != "token");
                }
                _ => return Err(BadRequest("invalid_post_type")),
            }
        }
    }
    if inc.token.is_none() {
        inc.token = inc.args.iter().rev().find(|(k, _)| k == "token").map(|(_, v)| v.clone());
    }
    inc.args.retain(|(k, _)| k != "token");
    Ok(inc)
}

/// `multipart/form-data`: text parts become arguments, parts with a file name files.
fn multipart(body: &[u8], boundary: &str, inc: &mut Incoming) -> Result<(), ()> {
    let delimiter = format!("--{boundary}");
    let d = delimiter.as_bytes();
    let mut rest = body;
    // Skip the preamble up to the first delimiter.
    let start = find(rest, d).ok_or(())?;
    rest = &rest[start + d.len()..];
    loop {
        if rest.starts_with(b"--") {
            return Ok(());
        }
        rest = rest.strip_prefix(b"\r\n").ok_or(())?;
        let end = find(rest, d).ok_or(())?;
        let part = rest[..end].strip_suffix(b"\r\n").ok_or(())?;
        rest = &rest[end + d.len()..];
        let split = find(part, b"\r\n\r\n").ok_or(())?;
        let head = std::str::from_utf8(&part[..split]).map_err(|_| ())?;
        let data = &part[split + 4..];
        let (mut name, mut filename, mut content_type) = (None, None, None);
        for line in head.split("\r\n") {
            let Some((k, v)) = line.split_once(':') else { continue };
            match k.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for p in v.split(';').skip(1) {
                        if let Some((pk, pv)) = p.split_once('=') {
                            let pv = pv.trim().trim_matches('"').to_owned();
                            match pk.trim() {
                                "name" => name = Some(pv),
                                "filename" => filename = Some(pv),
                                _ => {}
                            }
                        }
                    }
                }
                "content-type" => content_type = Some(v.trim().to_owned()),
                _ => {}
            }
        }
        let name = name.ok_or(())?;
        match filename {
            Some(f) => {
                let mut upload = FileUpload::new(f, data.to_vec());
                upload.content_type = content_type;
                inc.files.push((name, upload));
            }
            None => inc.args.push((name, String::from_utf8(data.to_vec()).map_err(|_| ())?)),
        }
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// `id:secret` from HTTP Basic's base64.
fn decode_basic(b64: &str) -> Option<(String, String)> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials() {
        // "id:se cret"
        assert_eq!(decode_basic("aWQ6c2UgY3JldA=="), Some(("id".into(), "se cret".into())));
        assert_eq!(decode_basic("!!"), None);
    }

    #[test]
    fn multipart_parts() {
        let body = b"--XX\r\nContent-Disposition: form-data; name=\"channels\"\r\n\r\nC1\r\n--XX\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--XX--\r\n";
        let mut inc = Incoming::default();
        multipart(body, "XX", &mut inc).unwrap();
        assert_eq!(inc.args, [("channels".to_owned(), "C1".to_owned())]);
        assert_eq!(inc.files[0].1.filename, "a.txt");
        assert_eq!(&inc.files[0].1.data[..], b"hello");
        assert!(multipart(b"--XX\r\nno end", "XX", &mut Incoming::default()).is_err());
    }
}
