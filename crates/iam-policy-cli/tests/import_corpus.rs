//! `iam-policy import` then export gives back the documents: the generated source, read as the
//! Rust tokens `policy!` receives, holds every imported document exactly (strings, numbers,
//! shapes and order of elements). Over AWS's 795 managed policies in `../shared` (ignored
//! without it); the committed fixtures are imported, compiled and exported end to end by
//! `examples/infra-policies` (its `imported` test).

use std::path::Path;

use iam_policy_cli::import::{Source, import};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use serde_json::Value;

type Tokens = std::iter::Peekable<proc_macro2::token_stream::IntoIter>;

fn is_punct(token: &TokenTree, ch: char) -> bool {
    matches!(token, TokenTree::Punct(p) if p.as_char() == ch)
}

fn text_json(text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("`{text}`: {e}"))
}

/// The JSON value of the tokens of one `policy!` document.
fn json(tokens: &mut Tokens) -> Result<Value, String> {
    match tokens.next() {
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
            let mut members = serde_json::Map::new();
            let mut inner = group.stream().into_iter().peekable();
            while let Some(key) = inner.next() {
                let key = syn::parse_str::<syn::LitStr>(&key.to_string())
                    .map_err(|e| format!("a key: {key}: {e}"))?
                    .value();
                if !inner.next().is_some_and(|t| is_punct(&t, ':')) {
                    return Err(format!("no `:` after `{key}`"));
                }
                members.insert(key, json(&mut inner)?);
                inner.next_if(|t| is_punct(t, ','));
            }
            Ok(Value::Object(members))
        }
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Bracket => {
            let mut items = Vec::new();
            let mut inner = group.stream().into_iter().peekable();
            while inner.peek().is_some() {
                items.push(json(&mut inner)?);
                inner.next_if(|t| is_punct(t, ','));
            }
            Ok(Value::Array(items))
        }
        Some(TokenTree::Literal(literal)) => {
            let text = literal.to_string();
            match syn::parse_str::<syn::LitStr>(&text) {
                Ok(string) => Ok(Value::String(string.value())),
                Err(_) => text_json(&text),
            }
        }
        Some(TokenTree::Punct(minus)) if minus.as_char() == '-' => match tokens.next() {
            Some(TokenTree::Literal(number)) => text_json(&format!("-{number}")),
            other => Err(format!("no number after `-`: {other:?}")),
        },
        Some(TokenTree::Ident(ident)) => text_json(&ident.to_string()),
        other => Err(format!("not a JSON value: {other:?}")),
    }
}

/// The documents of every `pub const NAME = { ... };` in the generated `policy! { ... }`.
fn documents(source: &str) -> Result<Vec<(String, Value)>, String> {
    let file: TokenStream = source.parse().map_err(|e| format!("{e:?}"))?;
    let mut file = file.into_iter();
    let body = loop {
        match file.next() {
            Some(TokenTree::Ident(ident)) if ident == "policy" => {}
            Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
                break group.stream();
            }
            Some(_) => {}
            None => return Err("no `policy! { ... }`".to_owned()),
        }
    };
    let mut tokens = body.into_iter().peekable();
    let mut found = Vec::new();
    let mut name = String::new();
    while let Some(token) = tokens.peek().cloned() {
        match token {
            TokenTree::Ident(ident) if ident != "pub" && ident != "const" => {
                name = ident.to_string();
                tokens.next();
            }
            TokenTree::Punct(p) if p.as_char() == '=' => {
                tokens.next();
                found.push((name.clone(), json(&mut tokens)?));
            }
            _ => {
                tokens.next();
            }
        }
    }
    Ok(found)
}

#[test]
#[ignore = "needs ../shared: the AWS managed policies of corpus/aws-managed/policies"]
fn importing_the_managed_policies_keeps_every_document() {
    let corpus =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/aws-managed/policies");
    assert!(
        corpus.is_dir(),
        "needs ../shared: `{}` is absent",
        corpus.display()
    );
    let mut paths: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();
    let sources: Vec<Source> = paths
        .iter()
        .map(|path| Source {
            path: path.file_name().unwrap().to_string_lossy().into_owned(),
            text: std::fs::read_to_string(path).unwrap(),
        })
        .collect();
    let imported = import(&sources, "iam-policy import").unwrap();
    let documents = documents(&imported.source).unwrap();
    assert_eq!(documents.len(), sources.len());
    assert!(sources.len() >= 795, "{}", sources.len());
    for (source, (name, document)) in sources.iter().zip(&documents) {
        let original: Value = serde_json::from_str(&source.text).unwrap();
        assert_eq!(document, &original, "{} as {name}", source.path);
    }
}
