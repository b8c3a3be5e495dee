//! A hostile registry stand-in on loopback: a plain HTTP/1.1 listener whose answers a test
//! scripts by path, for behaviour a well-behaved registry never shows (unknown manifest
//! types, endless bodies, redirect loops, 403s).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;

/// What the stub answers to one request.
pub enum Answer {
    /// Status, extra headers and a body sent with its `Content-Length`.
    Full(u16, Vec<(String, String)>, Vec<u8>),
    /// Status and headers, then body bytes without end until the client hangs up.
    Endless(u16, Vec<(String, String)>),
}

/// Starts the stub; returns `127.0.0.1:PORT`. It runs until the test process ends.
pub fn start(answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let answer = Arc::new(answer);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let answer = answer.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    return;
                }
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let path = request_line.split(' ').nth(1).unwrap_or("/").to_string();
                let mut stream = stream;
                let head = |status: u16, headers: &[(String, String)]| {
                    let mut text = format!("HTTP/1.1 {status} X\r\nConnection: close\r\n");
                    for (name, value) in headers {
                        text.push_str(&format!("{name}: {value}\r\n"));
                    }
                    text
                };
                match answer(&path) {
                    Answer::Full(status, headers, body) => {
                        let text = format!(
                            "{}Content-Length: {}\r\n\r\n",
                            head(status, &headers),
                            body.len()
                        );
                        let _ = stream.write_all(text.as_bytes());
                        let _ = stream.write_all(&body);
                    }
                    Answer::Endless(status, headers) => {
                        let text = format!("{}\r\n", head(status, &headers));
                        if stream.write_all(text.as_bytes()).is_err() {
                            return;
                        }
                        let chunk = vec![b'x'; 64 << 10];
                        while stream.write_all(&chunk).is_ok() {}
                    }
                }
            });
        }
    });
    address
}

/// A JSON answer with a content type.
pub fn json(status: u16, content_type: &str, body: &str) -> Answer {
    Answer::Full(
        status,
        vec![("Content-Type".to_string(), content_type.to_string())],
        body.as_bytes().to_vec(),
    )
}
