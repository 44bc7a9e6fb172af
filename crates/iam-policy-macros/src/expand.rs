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
use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};

use crate::check::{self, Checked};
use crate::input::{Document, Input, Item};
use crate::timings;

pub(crate) fn expand(krate: &syn::Path, input: Input) -> TokenStream {
    match input {
        Input::Expression(document) => {
            let (value, extra) = policy(krate, &document, false);
            let ty = value_type(krate, &document, false);
            quote! {{ #extra const POLICY: #ty = #value; POLICY }}
        }
        Input::Items(items) => items.iter().map(|item| self::item(krate, item)).collect(),
    }
}

fn item(krate: &syn::Path, item: &Item) -> TokenStream {
    let Item {
        attrs,
        vis,
        static_token,
        name,
        statement,
        document,
    } = item;
    let (value, extra) = policy(krate, document, *statement);
    let ty = value_type(krate, document, *statement);
    let keyword = match static_token {
        Some(token) => quote!(#token),
        None => quote!(const),
    };
    // The diagnostics go inside the initializer, so that the item's lint attributes
    // (`#[allow(deprecated)]`) apply to its warnings.
    quote! {
        #(#attrs)*
        #vis #keyword #name: #ty = { #extra #value };
    }
}

/// `Statement` for a statement constant, `Template` for a document that declares parameters,
/// `Policy` for any other.
fn value_type(krate: &syn::Path, document: &Document, statement: bool) -> TokenStream {
    if statement {
        quote!(#krate::__private::Statement)
    } else if !document.settings.templated {
        quote!(#krate::__private::Policy)
    } else {
        quote!(#krate::__private::Template)
    }
}

/// The policy's value (or the placeholder after errors) and the items that carry its
/// diagnostics: `compile_error!`s and warnings. With `statement`, the document is one statement.
fn policy(krate: &syn::Path, document: &Document, statement: bool) -> (TokenStream, TokenStream) {
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
    let expanded = match policy {
        Ok(policy) if statement => {
            let value = match policy.statements().first() {
                Some(statement) => Model(statement).to_token_stream(),
                None => quote!(p::DENY),
            };
            (quote! {{ use #krate::__private as p; #value }}, warnings)
        }
        Ok(policy) => {
            // The constants are named outside the block that imports `p`, so that a path of
            // the user's (`p::LOGS_READ`) means what it means in the user's code.
            let constants: Vec<_> = references
                .iter()
                .enumerate()
                .map(|(i, reference)| {
                    let name = format_ident!("__IAM_POLICY_STATEMENT_{i}");
                    let path = &reference.path;
                    let item = quote!(const #name: #krate::__private::Statement = #path;);
                    (reference.index, name, item)
                })
                .collect();
            let items = constants.iter().map(|(_, _, item)| item);
            let included: Vec<(usize, &syn::Ident)> = constants
                .iter()
                .map(|(index, name, _)| (*index, name))
                .collect();
            let policy = Composed {
                policy: &policy,
                included: &included,
            };
            let mut value = if templated {
                let parameters = parameters.iter().map(|(name, kind)| {
                    let name = text(&name.value());
                    let kind = parameter_kind(*kind);
                    quote!(p::Parameter { name: #name, kind: #kind })
                });
                quote! {{
                    #(#items)*
                    use #krate::__private as p;
                    p::Template { policy: #policy, parameters: p::Borrowed(&[#(#parameters),*]) }
                }}
            } else {
                quote! {{ #(#items)* use #krate::__private as p; #policy }}
            };
            if !references.is_empty() {
                // What the rules could not see across constants: unique `Sid`s and the size
                // quota, checked when the constant is evaluated (a compile error).
                // Only a resource policy may repeat a `Sid` (UNIQUE_SIDS_RECOMMENDED).
                let unique_sids = kind != Some(PolicyKind::Resource);
                let quota = match kind {
                    // Over a resource policy's quota is a warning: resource types differ.
                    None | Some(PolicyKind::Resource) => quote!(#krate::__private::None),
                    Some(kind) => {
                        let quota = kind.size_quota();
                        quote!(#krate::__private::Some(#quota))
                    }
                };
                let ty = value_type(krate, document, false);
                let checked = if templated {
                    quote!(&COMPOSED.policy)
                } else {
                    quote!(&COMPOSED)
                };
                value = quote! {{
                    const COMPOSED: #ty = #value;
                    const _: () =
                        #krate::__private::assert_composed(#checked, #unique_sids, #quota);
                    COMPOSED
                }};
            }
            (value, warnings)
        }
        Err(errors) => {
            let errors = errors.to_compile_error();
            let placeholder = if statement {
                quote!(#krate::__private::DENY)
            } else if !templated {
                quote!(#krate::__private::PLACEHOLDER)
            } else {
                quote!(#krate::__private::PLACEHOLDER_TEMPLATE)
            };
            (placeholder, quote!(#warnings #errors))
        }
    };
    timings::record(started.elapsed(), validate_time);
    expanded
}

/// `p::ParameterKind::AccountId`, `p::ParameterKind::Arn { service: "logs", ... }`.
fn parameter_kind(kind: ParameterKind) -> TokenStream {
    match kind {
        ParameterKind::Arn {
            service,
            resource_type,
        } => quote!(p::ParameterKind::Arn { service: #service, resource_type: #resource_type }),
        other => {
            let name = proc_macro2::Ident::new(other.name(), proc_macro2::Span::call_site());
            quote!(p::ParameterKind::#name)
        }
    }
}

/// A part of the model as the expression that builds it, with `p` the facade's `__private`.
struct Model<'a, T: ?Sized>(&'a T);

/// A policy whose `Statement` array includes statement constants: `included` gives each one's
/// place among the statements and the name of the constant it is bound to.
struct Composed<'a> {
    policy: &'a Policy,
    included: &'a [(usize, &'a syn::Ident)],
}

impl ToTokens for Composed<'_> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let Policy {
            version,
            id,
            statement,
            kind,
        } = self.policy;
        let version = option(version.as_deref().map(text));
        let id = option(id.as_deref().map(text));
        let statement = if self.included.is_empty() {
            one_or_many(statement, |statement| Model(statement).to_token_stream())
        } else {
            let mut written = statement.iter();
            let count = statement.as_slice().len() + self.included.len();
            let items = (0..count).filter_map(|index| {
                match self.included.iter().find(|(at, _)| *at == index) {
                    Some((_, name)) => Some(quote!(#name)),
                    None => written.next().map(|s| Model(s).to_token_stream()),
                }
            });
            quote!(p::OneOrMany::Many(p::Borrowed(&[#(#items),*])))
        };
        let kind = option(kind.map(|kind| {
            let kind = match kind {
                PolicyKind::Identity => quote!(Identity),
                PolicyKind::Inline => quote!(Inline),
                PolicyKind::Resource => quote!(Resource),
                PolicyKind::RoleTrust => quote!(RoleTrust),
                PolicyKind::Scp => quote!(Scp),
                PolicyKind::Rcp => quote!(Rcp),
            };
            quote!(p::PolicyKind::#kind)
        }));
        tokens.extend(quote! {
            p::Policy {
                version: #version,
                id: #id,
                statement: #statement,
                kind: #kind,
            }
        });
    }
}

impl ToTokens for Model<'_, Statement> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
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
        } = self.0;
        // Only the elements written are spelt out; the rest come from the statement of that
        // effect with no other element (`..p::ALLOW`), which keeps the expansion short.
        let mut fields = TokenStream::new();
        if let Some(sid) = sid {
            let sid = text(sid);
            fields.extend(quote!(sid: p::Some(#sid),));
        }
        for (name, principal) in [
            (quote!(principal), principal),
            (quote!(not_principal), not_principal),
        ] {
            if let Some(principal) = principal {
                let principal = Model(principal);
                fields.extend(quote!(#name: p::Some(#principal),));
            }
        }
        for (name, list) in [
            (quote!(action), action),
            (quote!(not_action), not_action),
            (quote!(resource), resource),
            (quote!(not_resource), not_resource),
        ] {
            if let Some(list) = list {
                let list = one_or_many(list, |entry| text(entry));
                fields.extend(quote!(#name: p::Some(#list),));
            }
        }
        if let Some(blocks) = condition {
            let blocks = blocks.iter().map(Model);
            fields.extend(quote!(condition: p::Some(p::Borrowed(&[#(#blocks),*])),));
        }
        let unwritten = match effect {
            Effect::Allow => quote!(p::ALLOW),
            Effect::Deny => quote!(p::DENY),
        };
        tokens.extend(quote!(p::Statement { #fields ..#unwritten }));
    }
}

impl ToTokens for Model<'_, Principal> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self.0 {
            Principal::Any => quote!(p::Principal::Any),
            Principal::Map(entries) => {
                let entries = entries.iter().map(|entry| {
                    let principal_type = text(&entry.principal_type);
                    let values = one_or_many(&entry.values, |value| text(value));
                    quote!(p::PrincipalEntry { principal_type: #principal_type, values: #values })
                });
                quote!(p::Principal::Map(p::Borrowed(&[#(#entries),*])))
            }
        });
    }
}

impl ToTokens for Model<'_, ConditionBlock> {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let operator = text(&self.0.operator);
        let entries = self.0.entries.iter().map(|entry| {
            let key = text(&entry.key);
            let values = one_or_many(&entry.values, |value| match value {
                ConditionValue::String(value) => {
                    let value = text(value);
                    quote!(p::ConditionValue::String(#value))
                }
                ConditionValue::Number(value) => {
                    let value = text(value);
                    quote!(p::ConditionValue::Number(#value))
                }
                ConditionValue::Bool(value) => quote!(p::ConditionValue::Bool(#value)),
            });
            quote!(p::ConditionEntry { key: #key, values: #values })
        });
        tokens.extend(quote! {
            p::ConditionBlock { operator: #operator, entries: p::Borrowed(&[#(#entries),*]) }
        });
    }
}

fn one_or_many<T: Clone>(list: &OneOrMany<T>, item: impl Fn(&T) -> TokenStream) -> TokenStream {
    match list {
        OneOrMany::One(value) => {
            let value = item(value);
            quote!(p::OneOrMany::One(#value))
        }
        OneOrMany::Many(values) => {
            let values = values.iter().map(item);
            quote!(p::OneOrMany::Many(p::Borrowed(&[#(#values),*])))
        }
    }
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(p::Some(#value)),
        None => quote!(p::None),
    }
}

/// A text of the policy: `p::Borrowed("...")`.
fn text(text: &str) -> TokenStream {
    let literal = Literal::string(text);
    quote!(p::Borrowed(#literal))
}
