//! Code generation: the policy a document describes, as a constant `Policy` of the facade crate.
//!
//! The core has validated the document and lowered it into its model; this writes that model
//! out as Rust and checks nothing. The generated code names only `<facade>::__private`
//! (imported as `p` inside a block of its own), where `<facade>` is the path the facade's
//! `policy!` passes (`$crate`), so a renamed or re-exported facade works. It is kept short:
//! the compiler checks and evaluates every token of it.

use std::time::Instant;

use iam_policy_core::model::{
    ConditionBlock, ConditionValue, Effect, OneOrMany, Policy, Principal, Statement,
};
use iam_policy_core::{ParameterKind, PolicyKind};
use proc_macro::{TokenStream, TokenTree};

use crate::check::{self, Checked};
use crate::code::{Code, Str};
use crate::input::{Document, Input, Item};
use crate::timings;

pub(crate) fn expand(krate: &TokenStream, input: Input) -> TokenStream {
    match input {
        Input::Expression(document) => {
            let (value, extra) = policy(krate, &document, false);
            let mut block = Code::default();
            block.splice(extra).text("const __IAM_POLICY: ");
            value_type(&mut block, krate, &document, false);
            block.text(" = ").splice(value).text("; __IAM_POLICY");
            let mut code = Code::default();
            code.braced(block);
            code.into_stream()
        }
        Input::Items(items) => items.iter().map(|item| self::item(krate, item)).collect(),
    }
}

fn item(krate: &TokenStream, item: &Item) -> TokenStream {
    let Item {
        attrs,
        vis,
        static_token,
        name,
        statement,
        document,
    } = item;
    let (value, extra) = policy(krate, document, *statement);
    let mut code = Code::default();
    code.splice(attrs.clone()).splice(vis.clone());
    match static_token {
        Some(token) => code.splice(TokenTree::Ident(token.clone())),
        None => code.text("const "),
    };
    code.splice(TokenTree::Ident(name.clone())).text(": ");
    value_type(&mut code, krate, document, *statement);
    code.text(" = ");
    // The diagnostics go inside the initializer, so that the item's lint attributes
    // (`#[allow(deprecated)]`) apply to its warnings.
    let mut initializer = Code::default();
    initializer.splice(extra).splice(value);
    code.braced(initializer).text(";");
    code.into_stream()
}

/// `<facade>::__private::<name>`.
fn private(code: &mut Code, krate: &TokenStream, name: &str) {
    code.splice(krate.clone())
        .push(format_args!("::__private::{name}"));
}

/// `Statement` for a statement constant, `Template` for a document that declares parameters,
/// `Policy` for any other.
fn value_type(code: &mut Code, krate: &TokenStream, document: &Document, statement: bool) {
    let name = if statement {
        "Statement"
    } else if !document.settings.templated {
        "Policy"
    } else {
        "Template"
    };
    private(code, krate, name);
}

/// `{ use <facade>::__private as p; <value> }`: `value` writes the model with `p`.
fn with_private(code: &mut Code, krate: &TokenStream, value: impl FnOnce(&mut Code)) {
    let mut block = Code::default();
    block
        .text("use ")
        .splice(krate.clone())
        .text("::__private as p; ");
    value(&mut block);
    code.braced(block);
}

/// The policy's value (or the placeholder after errors) and the items that carry its
/// diagnostics: `compile_error!`s and warnings. With `statement`, the document is one statement.
fn policy(krate: &TokenStream, document: &Document, statement: bool) -> (TokenStream, TokenStream) {
    let started = Instant::now();
    let Checked {
        policy,
        warnings,
        validate_time,
        references,
        kind,
    } = check::check(document, statement);
    let parameters = &document.settings.parameters;
    let templated = document.settings.templated;
    let mut value = Code::default();
    let extra = match policy {
        Ok(policy) if statement => {
            with_private(&mut value, krate, |code| {
                match policy.statements().first() {
                    Some(statement) => write_statement(code, statement),
                    None => {
                        code.text("p::DENY");
                    }
                }
            });
            warnings
        }
        Ok(policy) => {
            // The constants are named in a block around the one that imports `p` (an import
            // holds in its whole block, before it too), so that a path of the user's
            // (`p::LOGS_READ`) means what it means in the user's code.
            let mut items = Code::default();
            let mut included = Vec::with_capacity(references.len());
            for (i, reference) in references.iter().enumerate() {
                let name = format!("__IAM_POLICY_STATEMENT_{i}");
                items.push(format_args!("const {name}: "));
                private(&mut items, krate, "Statement");
                items.text(" = ").splice(reference.path.clone()).text(";");
                included.push((reference.index, name));
            }
            let mut block = Code::default();
            with_private(&mut block, krate, |code| {
                if templated {
                    code.text("p::Template { policy: ");
                    write_policy(code, &policy, &included);
                    code.text(", parameters: p::Borrowed(&[");
                    write_list(code, parameters, |code, declared| {
                        code.text("p::Parameter { name: ");
                        write_text(code, &declared.name.value);
                        code.text(", kind: ");
                        write_parameter_kind(code, declared.kind);
                        code.text(" }");
                    });
                    code.text("]) }");
                } else {
                    write_policy(code, &policy, &included);
                }
            });
            if references.is_empty() {
                value = block;
            } else {
                items.splice(block.into_stream());
                let mut block = Code::default();
                block.braced(items);
                // What the rules could not see across constants: unique `Sid`s and the size
                // quota, checked when the constant is evaluated (a compile error).
                // Only a resource policy may repeat a `Sid` (UNIQUE_SIDS_REQUIRED).
                let unique_sids = kind != Some(PolicyKind::Resource);
                let mut composed = Code::default();
                composed.text("const __IAM_POLICY_COMPOSED: ");
                value_type(&mut composed, krate, document, false);
                composed.text(" = ").splice(block.into_stream());
                composed.text("; const _: () = ");
                private(&mut composed, krate, "assert_composed");
                let checked = if templated {
                    "&__IAM_POLICY_COMPOSED.policy"
                } else {
                    "&__IAM_POLICY_COMPOSED"
                };
                let mut arguments = Code::default();
                arguments.push(format_args!("{checked}, {unique_sids}, "));
                match kind {
                    // Over a resource policy's quota is a warning: resource types differ.
                    None | Some(PolicyKind::Resource) => private(&mut arguments, krate, "None"),
                    Some(kind) => {
                        private(&mut arguments, krate, "Some");
                        arguments.push(format_args!("({}usize)", kind.size_quota()));
                    }
                }
                composed
                    .parenthesized(arguments)
                    .text("; __IAM_POLICY_COMPOSED");
                value.braced(composed);
            }
            warnings
        }
        Err(errors) => {
            let placeholder = if statement {
                "DENY"
            } else if !templated {
                "PLACEHOLDER"
            } else {
                "PLACEHOLDER_TEMPLATE"
            };
            private(&mut value, krate, placeholder);
            warnings
                .into_iter()
                .chain(errors.into_compile_error())
                .collect()
        }
    };
    let value = value.into_stream();
    timings::record(started.elapsed(), validate_time);
    (value, extra)
}

/// `p::ParameterKind::AccountId`, `p::ParameterKind::Arn { service: "logs", ... }`.
fn write_parameter_kind(code: &mut Code, kind: ParameterKind) {
    match kind {
        ParameterKind::Arn {
            service,
            resource_type,
        } => code.push(format_args!(
            "p::ParameterKind::Arn {{ service: {}, resource_type: {} }}",
            Str(service),
            Str(resource_type)
        )),
        other => code.push(format_args!("p::ParameterKind::{}", other.name())),
    };
}

/// The policy, with `p` the facade's `__private`. `included` gives the place among the
/// statements of each statement constant the document names, and the constant it is bound to.
fn write_policy(code: &mut Code, policy: &Policy, included: &[(usize, String)]) {
    let Policy {
        version,
        id,
        statement,
        kind,
    } = policy;
    code.text("p::Policy { version: ");
    write_option(code, version.as_deref(), write_text);
    code.text(", id: ");
    write_option(code, id.as_deref(), write_text);
    code.text(", statement: ");
    if included.is_empty() {
        write_one_or_many(code, statement, write_statement);
    } else {
        let mut written = statement.iter();
        let count = statement.as_slice().len() + included.len();
        let items =
            (0..count).filter_map(|index| match included.iter().find(|(at, _)| *at == index) {
                Some((_, name)) => Some(Err(name)),
                None => written.next().map(Ok),
            });
        code.text("p::OneOrMany::Many(p::Borrowed(&[");
        write_list(code, items, |code, item| match item {
            Ok(statement) => write_statement(code, statement),
            Err(name) => {
                code.text(name);
            }
        });
        code.text("]))");
    }
    code.text(", kind: ");
    write_option(code, kind.as_ref(), |code, kind| {
        let kind = match kind {
            PolicyKind::Identity => "Identity",
            PolicyKind::Inline => "Inline",
            PolicyKind::Resource => "Resource",
            PolicyKind::RoleTrust => "RoleTrust",
            PolicyKind::Scp => "Scp",
            PolicyKind::Rcp => "Rcp",
        };
        code.push(format_args!("p::PolicyKind::{kind}"));
    });
    code.text(" }");
}

fn write_statement(code: &mut Code, statement: &Statement) {
    let Statement {
        sid,
        effect,
        principal,
        not_principal,
        action,
        not_action,
        resource,
        not_resource,
        condition,
    } = statement;
    // Only the elements written are spelt out; the rest come from the statement of that
    // effect with no other element (`..p::ALLOW`), which keeps the expansion short.
    code.text("p::Statement { ");
    if let Some(sid) = sid {
        code.text("sid: p::Some(");
        write_text(code, sid);
        code.text("), ");
    }
    for (name, principal) in [("principal", principal), ("not_principal", not_principal)] {
        if let Some(principal) = principal {
            code.push(format_args!("{name}: p::Some("));
            write_principal(code, principal);
            code.text("), ");
        }
    }
    for (name, list) in [
        ("action", action),
        ("not_action", not_action),
        ("resource", resource),
        ("not_resource", not_resource),
    ] {
        if let Some(list) = list {
            code.push(format_args!("{name}: p::Some("));
            write_one_or_many(code, list, |code, entry| write_text(code, entry));
            code.text("), ");
        }
    }
    if let Some(blocks) = condition {
        code.text("condition: p::Some(p::Borrowed(&[");
        write_list(code, blocks.iter(), write_condition_block);
        code.text("])), ");
    }
    code.text(match effect {
        Effect::Allow => "..p::ALLOW }",
        Effect::Deny => "..p::DENY }",
    });
}

fn write_principal(code: &mut Code, principal: &Principal) {
    match principal {
        Principal::Any => {
            code.text("p::Principal::Any");
        }
        Principal::Map(entries) => {
            code.text("p::Principal::Map(p::Borrowed(&[");
            write_list(code, entries.iter(), |code, entry| {
                code.text("p::PrincipalEntry { principal_type: ");
                write_text(code, &entry.principal_type);
                code.text(", values: ");
                write_one_or_many(code, &entry.values, |code, value| write_text(code, value));
                code.text(" }");
            });
            code.text("]))");
        }
    }
}

fn write_condition_block(code: &mut Code, block: &ConditionBlock) {
    code.text("p::ConditionBlock { operator: ");
    write_text(code, &block.operator);
    code.text(", entries: p::Borrowed(&[");
    write_list(code, block.entries.iter(), |code, entry| {
        code.text("p::ConditionEntry { key: ");
        write_text(code, &entry.key);
        code.text(", values: ");
        write_one_or_many(code, &entry.values, |code, value| match value {
            ConditionValue::String(value) => {
                code.text("p::ConditionValue::String(");
                write_text(code, value);
                code.text(")");
            }
            ConditionValue::Number(value) => {
                code.text("p::ConditionValue::Number(");
                write_text(code, value);
                code.text(")");
            }
            ConditionValue::Bool(value) => {
                code.push(format_args!("p::ConditionValue::Bool({value})"));
            }
        });
        code.text(" }");
    });
    code.text("]) }");
}

fn write_one_or_many<T: Clone>(code: &mut Code, list: &OneOrMany<T>, item: impl Fn(&mut Code, &T)) {
    match list {
        OneOrMany::One(value) => {
            code.text("p::OneOrMany::One(");
            item(code, value);
            code.text(")");
        }
        OneOrMany::Many(values) => {
            code.text("p::OneOrMany::Many(p::Borrowed(&[");
            write_list(code, values.iter(), &item);
            code.text("]))");
        }
    }
}

/// `items` written by `item`, separated by commas.
fn write_list<I: IntoIterator>(
    code: &mut Code,
    items: I,
    mut item: impl FnMut(&mut Code, I::Item),
) {
    for (index, value) in items.into_iter().enumerate() {
        if index > 0 {
            code.text(", ");
        }
        item(code, value);
    }
}

fn write_option<T: ?Sized>(code: &mut Code, value: Option<&T>, write: impl FnOnce(&mut Code, &T)) {
    match value {
        Some(value) => {
            code.text("p::Some(");
            write(code, value);
            code.text(")");
        }
        None => {
            code.text("p::None");
        }
    }
}

/// A text of the policy: `p::Borrowed("...")`.
fn write_text(code: &mut Code, text: &str) {
    code.push(format_args!("p::Borrowed({})", Str(text)));
}
