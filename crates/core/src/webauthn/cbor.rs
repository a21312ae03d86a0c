//! A reader for the subset of CBOR ([RFC 8949](https://www.rfc-editor.org/rfc/rfc8949))
//! that WebAuthn attestation objects and COSE keys use: unsigned and negative integers,
//! byte and text strings, arrays, maps, `true`, `false` and `null`, all of definite length.
//! Tags, floats and indefinite lengths are refused. Nesting is limited to
//! [`MAX_DEPTH`], and a declared length is checked against the bytes that are left before
//! anything is allocated, so no input makes the reader allocate more than it was given.

use std::fmt;

/// How deep arrays and maps may nest.
pub const MAX_DEPTH: usize = 16;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Major types 0 and 1, within the range of `i64`.
    Int(i64),
    Bytes(Vec<u8>),
    Text(String),
    Array(Vec<Value>),
    /// Pairs in the order they were read.
    Map(Vec<(Value, Value)>),
    Bool(bool),
    Null,
}

/// Why an input is not the CBOR we accept; the text is safe to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CborError(pub &'static str);

impl fmt::Display for CborError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for CborError {}

impl Value {
    /// The value under an integer key of a map.
    pub fn get_int_key(&self, key: i64) -> Option<&Value> {
        self.map_get(|k| *k == Value::Int(key))
    }

    /// The value under a text key of a map.
    pub fn get_text_key(&self, key: &str) -> Option<&Value> {
        self.map_get(|k| matches!(k, Value::Text(t) if t == key))
    }

    fn map_get(&self, wanted: impl Fn(&Value) -> bool) -> Option<&Value> {
        match self {
            Value::Map(pairs) => pairs.iter().find(|(k, _)| wanted(k)).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Value::Int(n) => Some(*n),
            _ => None,
        }
    }

    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// Reads exactly one item; bytes after it are an error.
pub fn decode(input: &[u8]) -> Result<Value, CborError> {
    let (value, used) = decode_prefix(input)?;
    if used != input.len() {
        return Err(CborError("unexpected bytes after the CBOR item"));
    }
    Ok(value)
}

/// Reads one item from the start of `input`; returns it and how many bytes it took.
pub fn decode_prefix(input: &[u8]) -> Result<(Value, usize), CborError> {
    let mut reader = Reader { input, at: 0 };
    let value = reader.item(0)?;
    Ok((value, reader.at))
}

struct Reader<'a> {
    input: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, CborError> {
        let b = *self
            .input
            .get(self.at)
            .ok_or(CborError("CBOR ends too early"))?;
        self.at += 1;
        Ok(b)
    }

    fn take(&mut self, n: u64) -> Result<&[u8], CborError> {
        let left = (self.input.len() - self.at) as u64;
        if n > left {
            return Err(CborError("CBOR length exceeds the input"));
        }
        let start = self.at;
        self.at += n as usize;
        Ok(&self.input[start..self.at])
    }

    /// The argument of an initial byte (RFC 8949 §3).
    fn argument(&mut self, info: u8) -> Result<u64, CborError> {
        let width = match info {
            0..=23 => return Ok(u64::from(info)),
            24 => 1,
            25 => 2,
            26 => 4,
            27 => 8,
            31 => return Err(CborError("indefinite-length CBOR is not accepted")),
            _ => return Err(CborError("reserved CBOR additional information")),
        };
        let bytes = self.take(width)?;
        Ok(bytes.iter().fold(0u64, |n, b| (n << 8) | u64::from(*b)))
    }

    /// A count of items that follow; each needs at least one byte.
    fn count(&mut self, info: u8, per_item: u64) -> Result<usize, CborError> {
        let n = self.argument(info)?;
        let left = (self.input.len() - self.at) as u64;
        if n.saturating_mul(per_item) > left {
            return Err(CborError("CBOR length exceeds the input"));
        }
        Ok(n as usize)
    }

    fn item(&mut self, depth: usize) -> Result<Value, CborError> {
        if depth > MAX_DEPTH {
            return Err(CborError("CBOR nests too deeply"));
        }
        let initial = self.byte()?;
        let (major, info) = (initial >> 5, initial & 0x1f);
        match major {
            0 => {
                let n = self.argument(info)?;
                i64::try_from(n)
                    .map(Value::Int)
                    .map_err(|_| CborError("CBOR integer out of range"))
            }
            1 => {
                let n = self.argument(info)?;
                i64::try_from(n)
                    .map(|n| Value::Int(-1 - n))
                    .map_err(|_| CborError("CBOR integer out of range"))
            }
            2 => {
                let n = self.argument(info)?;
                Ok(Value::Bytes(self.take(n)?.to_vec()))
            }
            3 => {
                let n = self.argument(info)?;
                let bytes = self.take(n)?.to_vec();
                String::from_utf8(bytes)
                    .map(Value::Text)
                    .map_err(|_| CborError("CBOR text is not UTF-8"))
            }
            4 => {
                let n = self.count(info, 1)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.item(depth + 1)?);
                }
                Ok(Value::Array(items))
            }
            5 => {
                let n = self.count(info, 2)?;
                let mut pairs = Vec::with_capacity(n);
                for _ in 0..n {
                    let key = self.item(depth + 1)?;
                    let value = self.item(depth + 1)?;
                    if pairs.iter().any(|(k, _)| *k == key) {
                        return Err(CborError("CBOR map has a duplicate key"));
                    }
                    pairs.push((key, value));
                }
                Ok(Value::Map(pairs))
            }
            6 => Err(CborError("CBOR tags are not accepted")),
            _ => match info {
                20 => Ok(Value::Bool(false)),
                21 => Ok(Value::Bool(true)),
                22 => Ok(Value::Null),
                _ => Err(CborError("CBOR simple value or float is not accepted")),
            },
        }
    }
}

/// A writer for the same subset, for tests and software authenticators.
pub fn encode(value: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write(value, &mut out);
    out
}

fn head(major: u8, n: u64, out: &mut Vec<u8>) {
    let major = major << 5;
    match n {
        0..=23 => out.push(major | n as u8),
        24..=0xff => out.extend([major | 24, n as u8]),
        0x100..=0xffff => {
            out.push(major | 25);
            out.extend((n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(major | 26);
            out.extend((n as u32).to_be_bytes());
        }
        _ => {
            out.push(major | 27);
            out.extend(n.to_be_bytes());
        }
    }
}

fn write(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Int(n) if *n >= 0 => head(0, *n as u64, out),
        Value::Int(n) => head(1, (-1 - *n) as u64, out),
        Value::Bytes(b) => {
            head(2, b.len() as u64, out);
            out.extend(b);
        }
        Value::Text(t) => {
            head(3, t.len() as u64, out);
            out.extend(t.as_bytes());
        }
        Value::Array(items) => {
            head(4, items.len() as u64, out);
            items.iter().for_each(|i| write(i, out));
        }
        Value::Map(pairs) => {
            head(5, pairs.len() as u64, out);
            for (k, v) in pairs {
                write(k, out);
                write(v, out);
            }
        }
        Value::Bool(false) => out.push(0xf4),
        Value::Bool(true) => out.push(0xf5),
        Value::Null => out.push(0xf6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_rfc_examples() {
        assert_eq!(decode(&[0x00]), Ok(Value::Int(0)));
        assert_eq!(decode(&[0x18, 0x64]), Ok(Value::Int(100)));
        assert_eq!(decode(&[0x39, 0x03, 0xe7]), Ok(Value::Int(-1000)));
        assert_eq!(decode(&[0x20]), Ok(Value::Int(-1)));
        assert_eq!(
            decode(&[0x44, 1, 2, 3, 4]),
            Ok(Value::Bytes(vec![1, 2, 3, 4]))
        );
        assert_eq!(decode(&[0x62, b'i', b'e']), Ok(Value::Text("ie".into())));
        assert_eq!(decode(&[0xf5]), Ok(Value::Bool(true)));
        assert_eq!(decode(&[0xf6]), Ok(Value::Null));
        // {1: 2, 3: 4}
        let map = decode(&[0xa2, 0x01, 0x02, 0x03, 0x04]).unwrap();
        assert_eq!(map.get_int_key(3), Some(&Value::Int(4)));
        // [1, [2, 3]]
        assert_eq!(
            decode(&[0x82, 0x01, 0x82, 0x02, 0x03]),
            Ok(Value::Array(vec![
                Value::Int(1),
                Value::Array(vec![Value::Int(2), Value::Int(3)])
            ]))
        );
    }

    #[test]
    fn encoding_round_trips() {
        let value = Value::Map(vec![
            (Value::Text("fmt".into()), Value::Text("none".into())),
            (Value::Int(-257), Value::Bytes(vec![0; 300])),
            (Value::Int(70_000), Value::Array(vec![Value::Bool(false)])),
            (Value::Int(i64::MAX), Value::Null),
        ]);
        assert_eq!(decode(&encode(&value)), Ok(value));
    }

    #[test]
    fn refuses_what_is_outside_the_subset() {
        for (input, why) in [
            (&[0x9f, 0x01, 0xff][..], "indefinite"),
            (&[0xc1, 0x00][..], "tag"),
            (&[0xf9, 0x3c, 0x00][..], "float"),
            (&[0x1c][..], "reserved"),
            (
                &[0x3b, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff][..],
                "range",
            ),
            (&[0x62, 0xff, 0xfe][..], "utf-8"),
            (&[0xa2, 0x01, 0x02, 0x01, 0x03][..], "duplicate key"),
            (&[0x01, 0x02][..], "trailing"),
            (&[][..], "empty"),
        ] {
            assert!(decode(input).is_err(), "{why}");
        }
    }

    #[test]
    fn a_declared_length_beyond_the_input_allocates_nothing() {
        // A byte string, an array and a map each claiming 2^63 entries.
        for major in [0x5b, 0x9b, 0xbb] {
            let mut input = vec![major, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
            input.push(0);
            assert_eq!(
                decode(&input),
                Err(CborError("CBOR length exceeds the input"))
            );
        }
    }

    #[test]
    fn deep_nesting_is_refused() {
        let mut input = vec![0x81; MAX_DEPTH + 1];
        input.push(0x00);
        assert_eq!(decode(&input), Err(CborError("CBOR nests too deeply")));
        let ok = [vec![0x81; MAX_DEPTH], vec![0x00]].concat();
        assert!(decode(&ok).is_ok());
    }

    #[test]
    fn a_prefix_reports_its_length() {
        let (value, used) = decode_prefix(&[0x41, 0x07, 0xff, 0xff]).unwrap();
        assert_eq!((value, used), (Value::Bytes(vec![7]), 2));
    }
}
