//! Code generation: a validated document as a constant `iam_policy::Policy`.
//!
//! The generated code names only `::iam_policy::__private` (imported as `p` inside a block of
//! its own) and is kept short: the compiler checks and evaluates every token of it.
//! The rules have already accepted the document; a shape the model cannot hold is still a
//! located error, never a panic.

use std::time::Instant;

use iam_policy_core::{Member, Node, ParameterKind, PolicyKind, Value};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::check::{self, Checked};
use crate::input::{Document, Input, Item};
use crate::timings;
use crate::tokens::SpanTable;

pub(crate) fn expand(input: Input) -> TokenStream {
    match input {
        Input::Expression(document) => {
            let (value, extra) = policy(&document);
            quote! {{ #extra const POLICY: ::iam_policy::__private::Policy = #value; POLICY }}
        }
        Input::Items(items) => items.iter().map(item).collect(),
    }
}

fn item(item: &Item) -> TokenStream {
    let Item {
        attrs,
        vis,
        static_token,
        name,
        document,
    } = item;
    let (value, extra) = policy(document);
    let keyword = match static_token {
        Some(token) => quote!(#token),
        None => quote!(const),
    };
    // The diagnostics go inside the initializer, so that the item's lint attributes
    // (`#[allow(deprecated)]`) apply to its warnings.
    quote! {
        #(#attrs)*
        #vis #keyword #name: ::iam_policy::__private::Policy = { #extra #value };
    }
}

/// The policy's value (or the placeholder after errors) and the items that carry its
/// diagnostics: `compile_error!`s and warnings.
fn policy(document: &Document) -> (TokenStream, TokenStream) {
    let started = Instant::now();
    let Checked {
        node,
        spans,
        errors,
        warnings,
        validate_time,
    } = check::check(document);
    let value = match (node, errors) {
        (Some(node), None) => Generator { spans: &spans }.policy(&node, document),
        (_, Some(errors)) => Err(errors),
        (None, None) => Err(syn::Error::new(document.group.span(), "expected a policy")),
    };
    timings::record(started.elapsed(), validate_time);
    match value {
        Ok(value) => (value, warnings),
        Err(errors) => {
            let errors = errors.to_compile_error();
            let placeholder = quote!(::iam_policy::__private::PLACEHOLDER);
            (placeholder, quote!(#warnings #errors))
        }
    }
}

struct Generator<'s> {
    spans: &'s SpanTable,
}

type Result<T> = std::result::Result<T, syn::Error>;

impl Generator<'_> {
    fn error(&self, node: &Node<'_>, message: String) -> syn::Error {
        syn::Error::new(self.spans.get(node.span), message)
    }

    fn policy(&self, node: &Node<'_>, document: &Document) -> Result<TokenStream> {
        let mut version = quote!(p::None);
        let mut id = quote!(p::None);
        let mut statement = None;
        for member in self.object(node, "the policy")? {
            match &*member.key {
                "Version" => version = self.some_text(&member.value, "Version")?,
                "Id" => id = self.some_text(&member.value, "Id")?,
                "Statement" => {
                    statement = Some(match &member.value.value {
                        Value::Array(items) => {
                            let items = items
                                .iter()
                                .map(|item| self.statement(item))
                                .collect::<Result<Vec<_>>>()?;
                            quote!(p::OneOrMany::Many(p::Borrowed(&[#(#items),*])))
                        }
                        _ => {
                            let statement = self.statement(&member.value)?;
                            quote!(p::OneOrMany::One(#statement))
                        }
                    });
                }
                _ => return Err(self.unknown(member)),
            }
        }
        let Some(statement) = statement else {
            return Err(self.error(node, "the policy has no `Statement`".to_owned()));
        };
        let parameters = document.settings.parameters.iter().map(|(name, kind)| {
            let kind = match kind {
                ParameterKind::Region => quote!(Region),
                ParameterKind::AccountId => quote!(AccountId),
                ParameterKind::InstanceId => quote!(InstanceId),
                ParameterKind::KmsKeyArn => quote!(KmsKeyArn),
                ParameterKind::TagKey => quote!(TagKey),
                ParameterKind::TagValue => quote!(TagValue),
            };
            quote!(p::Parameter { name: p::Borrowed(#name), kind: p::ParameterKind::#kind })
        });
        let kind = match document.settings.kind {
            None => quote!(p::None),
            Some(PolicyKind::Identity) => quote!(p::Some(p::PolicyKind::Identity)),
            Some(PolicyKind::Inline) => quote!(p::Some(p::PolicyKind::Inline)),
            Some(PolicyKind::Resource) => quote!(p::Some(p::PolicyKind::Resource)),
            Some(PolicyKind::RoleTrust) => quote!(p::Some(p::PolicyKind::RoleTrust)),
            Some(PolicyKind::Scp) => quote!(p::Some(p::PolicyKind::Scp)),
            Some(PolicyKind::Rcp) => quote!(p::Some(p::PolicyKind::Rcp)),
        };
        Ok(quote! {{
            use ::iam_policy::__private as p;
            p::Policy {
                version: #version,
                id: #id,
                statement: #statement,
                kind: #kind,
                parameters: p::Borrowed(&[#(#parameters),*]),
            }
        }})
    }

    fn statement(&self, node: &Node<'_>) -> Result<TokenStream> {
        let mut fields = TokenStream::new();
        for member in self.object(node, "a statement")? {
            let value = &member.value;
            let field = match &*member.key {
                "Sid" => {
                    let sid = self.some_text(value, "Sid")?;
                    quote!(sid: #sid,)
                }
                "Effect" => match &value.value {
                    Value::String(effect) if effect == "Allow" => quote!(effect: p::Effect::Allow,),
                    Value::String(effect) if effect == "Deny" => quote!(effect: p::Effect::Deny,),
                    _ => {
                        let message = "`Effect` must be `\"Allow\"` or `\"Deny\"`".to_owned();
                        return Err(self.error(value, message));
                    }
                },
                "Principal" => {
                    let principal = self.principal(value)?;
                    quote!(principal: p::Some(#principal),)
                }
                "NotPrincipal" => {
                    let principal = self.principal(value)?;
                    quote!(not_principal: p::Some(#principal),)
                }
                "Action" => self.list(quote!(action), value, "Action")?,
                "NotAction" => self.list(quote!(not_action), value, "NotAction")?,
                "Resource" => self.list(quote!(resource), value, "Resource")?,
                "NotResource" => self.list(quote!(not_resource), value, "NotResource")?,
                "Condition" => {
                    let condition = self.condition(value)?;
                    quote!(condition: p::Some(#condition),)
                }
                _ => return Err(self.unknown(member)),
            };
            fields.extend(field);
        }
        // `Effect` is required; the rules reported its absence already.
        Ok(quote!(p::Statement { #fields ..p::STATEMENT }))
    }

    fn principal(&self, node: &Node<'_>) -> Result<TokenStream> {
        if let Value::String(text) = &node.value
            && text == "*"
        {
            return Ok(quote!(p::Principal::Any));
        }
        let entries = self
            .object(node, "`Principal`")?
            .iter()
            .map(|member| {
                let principal_type = literal(&member.key);
                let values = self.texts(&member.value, &member.key)?;
                Ok(quote! {
                    p::PrincipalEntry { principal_type: p::Borrowed(#principal_type), values: #values }
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(quote!(p::Principal::Map(p::Borrowed(&[#(#entries),*]))))
    }

    fn condition(&self, node: &Node<'_>) -> Result<TokenStream> {
        let blocks = self
            .object(node, "`Condition`")?
            .iter()
            .map(|operator| {
                let entries = self
                    .object(&operator.value, "a condition operator")?
                    .iter()
                    .map(|key| {
                        let values = self.one_or_many(&key.value, |value| {
                            Ok(match &value.value {
                                Value::String(text) => {
                                    let text = literal(text);
                                    quote!(p::ConditionValue::String(p::Borrowed(#text)))
                                }
                                Value::Number(text) => {
                                    let text = literal(text);
                                    quote!(p::ConditionValue::Number(p::Borrowed(#text)))
                                }
                                Value::Bool(true) => quote!(p::ConditionValue::Bool(true)),
                                Value::Bool(false) => quote!(p::ConditionValue::Bool(false)),
                                _ => {
                                    let message = format!(
                                        "the values of `{}` must be strings, numbers or booleans",
                                        key.key
                                    );
                                    return Err(self.error(value, message));
                                }
                            })
                        })?;
                        let key = literal(&key.key);
                        Ok(quote!(p::ConditionEntry { key: p::Borrowed(#key), values: #values }))
                    })
                    .collect::<Result<Vec<_>>>()?;
                let name = literal(&operator.key);
                Ok(quote! {
                    p::ConditionBlock { operator: p::Borrowed(#name), entries: p::Borrowed(&[#(#entries),*]) }
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(quote!(p::Borrowed(&[#(#blocks),*])))
    }

    /// `field: p::Some(one or many strings),`.
    fn list(&self, field: TokenStream, node: &Node<'_>, element: &str) -> Result<TokenStream> {
        let values = self.texts(node, element)?;
        Ok(quote!(#field: p::Some(#values),))
    }

    fn texts(&self, node: &Node<'_>, element: &str) -> Result<TokenStream> {
        self.one_or_many(node, |item| {
            let text = self.text(item, element)?;
            Ok(quote!(p::Borrowed(#text)))
        })
    }

    fn one_or_many(
        &self,
        node: &Node<'_>,
        item: impl Fn(&Node<'_>) -> Result<TokenStream>,
    ) -> Result<TokenStream> {
        match &node.value {
            Value::Array(items) => {
                let items = items.iter().map(item).collect::<Result<Vec<_>>>()?;
                Ok(quote!(p::OneOrMany::Many(p::Borrowed(&[#(#items),*]))))
            }
            _ => {
                let item = item(node)?;
                Ok(quote!(p::OneOrMany::One(#item)))
            }
        }
    }

    fn some_text(&self, node: &Node<'_>, element: &str) -> Result<TokenStream> {
        let text = self.text(node, element)?;
        Ok(quote!(p::Some(p::Borrowed(#text))))
    }

    fn text(&self, node: &Node<'_>, element: &str) -> Result<Literal> {
        match &node.value {
            Value::String(text) => Ok(literal(text)),
            _ => Err(self.error(node, format!("`{element}` must be a string"))),
        }
    }

    fn object<'n>(&self, node: &'n Node<'n>, what: &str) -> Result<&'n [Member<'n>]> {
        match &node.value {
            Value::Object(members) => Ok(members),
            _ => Err(self.error(node, format!("{what} must be a JSON object"))),
        }
    }

    fn unknown(&self, member: &Member<'_>) -> syn::Error {
        syn::Error::new(
            self.spans.get(member.key_span),
            format!("`{}` is not a policy element", member.key),
        )
    }
}

fn literal(text: &str) -> Literal {
    Literal::string(text)
}
