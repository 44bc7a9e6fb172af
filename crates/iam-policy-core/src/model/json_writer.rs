//! JSON text of a `Serialize` value, byte for byte as `serde_json` writes it (minified, or
//! indented by two spaces), for just what the model's `Serialize` impls use: strings, booleans,
//! 64-bit numbers, sequences, maps and structs with string keys. Anything else is an
//! [`Unsupported`] error naming it.
//!
//! Written here so that the core does not wait for `serde_json` to compile: the model's
//! `Serialize` impls stay the one definition of the document's shape, and the tests hold the
//! output to `serde_json`'s.

use std::fmt;

use serde_core::Serialize;
use serde_core::ser::{self, Impossible, SerializeMap, SerializeSeq, SerializeStruct};

/// `value` as JSON text.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T, pretty: bool) -> Result<String, Error> {
    let mut writer = Writer {
        out: String::new(),
        pretty,
        depth: 0,
    };
    value.serialize(&mut writer)?;
    Ok(writer.out)
}

/// Why a value could not be written.
#[derive(Debug)]
pub(crate) enum Error {
    /// A kind of data outside the model's (a `char`, bytes, an enum, ...), or a map key that is
    /// not a string.
    Unsupported(&'static str),
    /// The `Serialize` impl failed with this message.
    Custom(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Unsupported(what) => write!(f, "the policy JSON writer has no form for {what}"),
            Error::Custom(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error::Custom(message.to_string())
    }
}

struct Writer {
    out: String,
    pretty: bool,
    /// Open arrays and objects, for the indentation of pretty output.
    depth: usize,
}

impl Writer {
    fn string(&mut self, text: &str) {
        crate::json::write_string(&mut self.out, text);
    }

    fn open(&mut self, bracket: char) -> Compound<'_> {
        self.depth += 1;
        self.out.push(bracket);
        Compound {
            writer: self,
            first: true,
        }
    }

    fn new_line(&mut self) {
        self.out.push('\n');
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }
}

/// An open array or object.
struct Compound<'w> {
    writer: &'w mut Writer,
    /// No element written yet.
    first: bool,
}

impl Compound<'_> {
    /// The separator before an element or member.
    fn next(&mut self) {
        if !self.first {
            self.writer.out.push(',');
        }
        self.first = false;
        if self.writer.pretty {
            self.writer.new_line();
        }
    }

    fn close(self, bracket: char) {
        self.writer.depth -= 1;
        if self.writer.pretty && !self.first {
            self.writer.new_line();
        }
        self.writer.out.push(bracket);
    }

    fn key<K: Serialize + ?Sized>(&mut self, key: &K) -> Result<(), Error> {
        self.next();
        let start = self.writer.out.len();
        key.serialize(&mut *self.writer)?;
        if !self.writer.out[start..].starts_with('"') {
            return Err(Error::Unsupported("a map key that is not a string"));
        }
        self.writer
            .out
            .push_str(if self.writer.pretty { ": " } else { ":" });
        Ok(())
    }
}

impl SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.next();
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.close(']');
        Ok(())
    }
}

impl SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.close('}');
        Ok(())
    }
}

impl SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.key(name)?;
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Error> {
        self.close('}');
        Ok(())
    }
}

impl<'w> ser::Serializer for &'w mut Writer {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'w>;
    type SerializeTuple = Impossible<(), Error>;
    type SerializeTupleStruct = Impossible<(), Error>;
    type SerializeTupleVariant = Impossible<(), Error>;
    type SerializeMap = Compound<'w>;
    type SerializeStruct = Compound<'w>;
    type SerializeStructVariant = Impossible<(), Error>;

    fn serialize_bool(self, value: bool) -> Result<(), Error> {
        self.out.push_str(if value { "true" } else { "false" });
        Ok(())
    }

    fn serialize_i64(self, value: i64) -> Result<(), Error> {
        self.out.push_str(&value.to_string());
        Ok(())
    }

    fn serialize_u64(self, value: u64) -> Result<(), Error> {
        self.out.push_str(&value.to_string());
        Ok(())
    }

    /// The shortest text that reads back as `value`, in `serde_json`'s own formatter (`1e20`,
    /// `0.5`, `3.0`); `null` for NaN and the infinities, as `serde_json` writes them.
    fn serialize_f64(self, value: f64) -> Result<(), Error> {
        if value.is_finite() {
            self.out.push_str(zmij::Buffer::new().format_finite(value));
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Error> {
        self.string(value);
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w>, Error> {
        Ok(self.open('['))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w>, Error> {
        Ok(self.open('{'))
    }

    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'w>, Error> {
        Ok(self.open('{'))
    }

    fn serialize_i8(self, _: i8) -> Result<(), Error> {
        Err(Error::Unsupported("an i8"))
    }

    fn serialize_i16(self, _: i16) -> Result<(), Error> {
        Err(Error::Unsupported("an i16"))
    }

    fn serialize_i32(self, _: i32) -> Result<(), Error> {
        Err(Error::Unsupported("an i32"))
    }

    fn serialize_u8(self, _: u8) -> Result<(), Error> {
        Err(Error::Unsupported("a u8"))
    }

    fn serialize_u16(self, _: u16) -> Result<(), Error> {
        Err(Error::Unsupported("a u16"))
    }

    fn serialize_u32(self, _: u32) -> Result<(), Error> {
        Err(Error::Unsupported("a u32"))
    }

    fn serialize_f32(self, _: f32) -> Result<(), Error> {
        Err(Error::Unsupported("an f32"))
    }

    fn serialize_char(self, _: char) -> Result<(), Error> {
        Err(Error::Unsupported("a char"))
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(Error::Unsupported("bytes"))
    }

    fn serialize_none(self) -> Result<(), Error> {
        Err(Error::Unsupported("an Option"))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Error> {
        Err(Error::Unsupported("an Option"))
    }

    fn serialize_unit(self) -> Result<(), Error> {
        Err(Error::Unsupported("a unit"))
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        Err(Error::Unsupported("a unit struct"))
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Error> {
        Err(Error::Unsupported("an enum"))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(Error::Unsupported("a newtype struct"))
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(Error::Unsupported("an enum"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(Error::Unsupported("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(Error::Unsupported("a tuple struct"))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(Error::Unsupported("an enum"))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(Error::Unsupported("an enum"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_core::Serializer;

    /// Every escape `serde_json` writes, and characters of two, three and four UTF-8 bytes.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut together = String::new();
        for character in (0u8..0x80)
            .map(char::from)
            .chain(['é', '€', '😀', '\u{2028}'])
        {
            together.push(character);
            for text in [&character.to_string(), &together] {
                assert_eq!(
                    to_string(text.as_str(), false).unwrap(),
                    serde_json::to_string(text).unwrap()
                );
            }
        }
    }

    #[test]
    fn numbers_are_written_as_serde_json_writes_them() {
        let floats = [
            0.0,
            -0.0,
            0.5,
            1.0,
            -1.5,
            3.0,
            1e15,
            1e16,
            1e17,
            1e20,
            1e21,
            1e-5,
            1e-6,
            1e-7,
            123.456,
            0.1 + 0.2,
            1.7976931348623157e308,
            5e-324,
            f64::NAN,
            f64::INFINITY,
        ];
        for value in floats {
            assert_eq!(
                to_string(&value, false).unwrap(),
                serde_json::to_string(&value).unwrap()
            );
        }
        for value in [0, 1, u64::MAX] {
            assert_eq!(to_string(&value, false).unwrap(), value.to_string());
        }
        for value in [-1, i64::MIN] {
            assert_eq!(to_string(&value, false).unwrap(), value.to_string());
        }
    }

    /// Nesting, empty and one-element containers, minified and pretty.
    #[test]
    fn containers_are_laid_out_as_serde_json_lays_them_out() {
        struct Shape;
        impl Serialize for Shape {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut document = serializer.serialize_struct("Shape", 4)?;
                document.serialize_field("empty", &[0u64; 0][..])?;
                document.serialize_field("one", &["a"][..])?;
                document
                    .serialize_field("nested", &[&[true][..], &[][..], &[false, true][..]][..])?;
                document.serialize_field("map", &Map)?;
                document.end()
            }
        }
        struct Map;
        impl Serialize for Map {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("k\"1", &1u64)?;
                map.serialize_entry("k2", &EmptyMap)?;
                map.end()
            }
        }
        struct EmptyMap;
        impl Serialize for EmptyMap {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_map(Some(0))?.end()
            }
        }
        assert_eq!(
            to_string(&Shape, false).unwrap(),
            serde_json::to_string(&Shape).unwrap()
        );
        assert_eq!(
            to_string(&Shape, true).unwrap(),
            serde_json::to_string_pretty(&Shape).unwrap()
        );
    }

    #[test]
    fn what_the_model_never_writes_is_an_error() {
        struct NumberKey;
        impl Serialize for NumberKey {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry(&1u64, "one")?;
                map.end()
            }
        }
        assert_eq!(
            to_string(&NumberKey, false).unwrap_err().to_string(),
            "the policy JSON writer has no form for a map key that is not a string"
        );
        assert_eq!(
            to_string(&'x', false).unwrap_err().to_string(),
            "the policy JSON writer has no form for a char"
        );
    }
}
