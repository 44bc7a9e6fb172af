//! The input of `policy!`: the expression form `policy!(#[attrs] { ... })` or the item form
//! `policy! { #[attrs] /// doc
//! pub const NAME = { ... }; ... }`, and the attributes both share.

use iam_policy_core::check::PublicAccessResourceType;
use iam_policy_core::parameter::placeholders;
use iam_policy_core::{IssueCode, ParameterKind, PolicyKind};
use proc_macro2::{Delimiter, Group, TokenTree};
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Token, Visibility};

pub(crate) enum Input {
    Expression(Document),
    Items(Vec<Item>),
}

/// One policy document and the attributes written before it.
pub(crate) struct Document {
    pub settings: Settings,
    /// The `{ ... }` group.
    pub group: Group,
    /// Errors in the attributes, reported with the document's own so that the item is still
    /// declared (with a placeholder value).
    pub attribute_errors: Option<syn::Error>,
}

/// `pub const NAME = { ... };` with its attributes (doc comments are passed through).
pub(crate) struct Item {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub static_token: Option<Token![static]>,
    pub name: Ident,
    /// `pub const NAME: Statement = { ... };`: one statement, for documents to include.
    pub statement: bool,
    pub document: Document,
}

/// What the attributes `kind`, `parameters`, `waive`, `never_grants` and `no_public_access`
/// declare.
#[derive(Default)]
pub(crate) struct Settings {
    pub kind: Option<PolicyKind>,
    /// Whether a `#[parameters(...)]` attribute is written: the document is a template.
    pub templated: bool,
    /// Whether a declaration of `#[parameters(...)]` is wrong: the placeholders of the
    /// document are then not checked, as every one would be reported again.
    pub parameter_errors: bool,
    pub parameters: Vec<(LitStr, ParameterKind)>,
    pub waivers: Vec<WaiverAttr>,
    /// `#[never_grants("iam:PassRole", ...)]`: actions no statement may grant.
    pub never_grants: Vec<LitStr>,
    /// `#[no_public_access("AWS::S3::Bucket")]`.
    pub no_public_access: Option<PublicAccessResourceType>,
}

/// `#[waive(CODE, ..., sid = "Sid")]`: the statement is resolved once the document is parsed.
pub(crate) struct WaiverAttr {
    pub codes: Vec<IssueCode>,
    pub sid: Option<LitStr>,
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Input> {
        let attrs = input.call(Attribute::parse_outer)?;
        if input.peek(syn::token::Brace) {
            let document = document(input, attrs, false)?.1;
            if !input.is_empty() {
                return Err(input.error("unexpected tokens after the policy document"));
            }
            return Ok(Input::Expression(document));
        }
        if input.peek(LitStr) {
            return Err(input.error(
                "expected the policy document in braces\n\
                 help: write `policy!({ \"Version\": ... })` (the document is one JSON object)",
            ));
        }
        let mut items = vec![item(input, attrs)?];
        while !input.is_empty() {
            let attrs = input.call(Attribute::parse_outer)?;
            items.push(item(input, attrs)?);
        }
        Ok(Input::Items(items))
    }
}

fn item(input: ParseStream, attrs: Vec<Attribute>) -> syn::Result<Item> {
    let vis: Visibility = input.parse()?;
    let static_token: Option<Token![static]> = input.parse()?;
    if static_token.is_none() {
        input.parse::<Token![const]>().map_err(|error| {
            syn::Error::new(
                error.span(),
                "expected a policy document `{ ... }` or an item `pub const NAME = { ... };`",
            )
        })?;
    }
    let name: Ident = input.parse()?;
    let statement = input.peek(Token![:]);
    if statement {
        input.parse::<Token![:]>()?;
        let ty: Ident = input.parse()?;
        if ty != "Statement" {
            return Err(syn::Error::new(
                ty.span(),
                "expected `Statement`: `pub const NAME: Statement = { ... };` declares a statement \
                 for documents to include; a policy is written `pub const NAME = { ... };`",
            ));
        }
    }
    input.parse::<Token![=]>()?;
    if !input.peek(syn::token::Brace) {
        return Err(input.error("expected the policy document `{ ... }`"));
    }
    let (attrs, document) = document(input, attrs, true)?;
    input.parse::<Token![;]>()?;
    Ok(Item {
        attrs,
        vis,
        static_token,
        name,
        statement,
        document,
    })
}

/// Reads the document group; returns the attributes that are not ours (only items have them).
fn document(
    input: ParseStream,
    attrs: Vec<Attribute>,
    item: bool,
) -> syn::Result<(Vec<Attribute>, Document)> {
    let mut settings = Settings::default();
    let mut errors: Option<syn::Error> = None;
    let mut passed = Vec::new();
    for attr in attrs {
        let result = if attr.path().is_ident("kind") {
            kind(&attr).map(|kind| settings.kind = Some(kind))
        } else if attr.path().is_ident("parameters") {
            settings.templated = true;
            let declared = parameters(&attr, &mut settings.parameters);
            settings.parameter_errors |= declared.is_err();
            declared
        } else if attr.path().is_ident("waive") {
            waiver(&attr).map(|waiver| settings.waivers.push(waiver))
        } else if attr.path().is_ident("never_grants") {
            never_grants(&attr).map(|actions| settings.never_grants.extend(actions))
        } else if attr.path().is_ident("no_public_access") {
            no_public_access(&attr).map(|kind| settings.no_public_access = Some(kind))
        } else if item {
            passed.push(attr);
            Ok(())
        } else {
            Err(syn::Error::new_spanned(
                attr.path(),
                "unknown attribute: `policy!` takes `kind`, `parameters`, `waive`, `never_grants` and `no_public_access`",
            ))
        };
        if let Err(error) = result {
            match &mut errors {
                Some(errors) => errors.combine(error),
                None => errors = Some(error),
            }
        }
    }
    let group = match input.parse::<TokenTree>()? {
        TokenTree::Group(group) if group.delimiter() == Delimiter::Brace => group,
        other => return Err(syn::Error::new(other.span(), "expected `{`")),
    };
    let document = Document {
        settings,
        group,
        attribute_errors: errors,
    };
    Ok((passed, document))
}

/// `#[kind = "identity" | "inline" | "resource" | "role-trust" | "scp" | "rcp"]`.
fn kind(attr: &Attribute) -> syn::Result<PolicyKind> {
    const KINDS: &str = "`identity`, `inline`, `resource`, `role-trust`, `scp` or `rcp`";
    let value = &attr.meta.require_name_value()?.value;
    let syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(text),
        ..
    }) = value
    else {
        return Err(syn::Error::new_spanned(
            value,
            format!("expected a policy kind in quotes: {KINDS}"),
        ));
    };
    match text.value().as_str() {
        "identity" => Ok(PolicyKind::Identity),
        "inline" => Ok(PolicyKind::Inline),
        "resource" => Ok(PolicyKind::Resource),
        "role-trust" => Ok(PolicyKind::RoleTrust),
        "scp" => Ok(PolicyKind::Scp),
        "rcp" => Ok(PolicyKind::Rcp),
        other => Err(syn::Error::new(
            text.span(),
            format!("unknown policy kind `{other}`\nhelp: use {KINDS}"),
        )),
    }
}

/// `#[parameters("region": Region, "account-id": AccountId, "logs": Arn("logs", "log-group"))]`.
fn parameters(attr: &Attribute, declared: &mut Vec<(LitStr, ParameterKind)>) -> syn::Result<()> {
    struct Declaration(LitStr, Ident, Option<(LitStr, LitStr)>);
    impl Parse for Declaration {
        fn parse(input: ParseStream) -> syn::Result<Declaration> {
            let name = input.parse()?;
            input.parse::<Token![:]>()?;
            let kind: Ident = input.parse()?;
            let arn = if input.peek(syn::token::Paren) {
                let content;
                syn::parenthesized!(content in input);
                let service: LitStr = content.parse()?;
                content.parse::<Token![,]>()?;
                let resource_type: LitStr = content.parse()?;
                content.parse::<Option<Token![,]>>()?;
                Some((service, resource_type))
            } else {
                None
            };
            Ok(Declaration(name, kind, arn))
        }
    }
    let list = attr.parse_args_with(Punctuated::<Declaration, Token![,]>::parse_terminated)?;
    let mut errors: Option<syn::Error> = None;
    for Declaration(name, kind_name, arn) in list {
        if let Err(error) = declaration(&name, &kind_name, arn, declared) {
            match &mut errors {
                Some(errors) => errors.combine(error),
                None => errors = Some(error),
            }
        }
    }
    errors.map_or(Ok(()), Err)
}

/// One `"name": Kind` of `#[parameters(...)]`, added to `declared` when it is right.
fn declaration(
    name: &LitStr,
    kind_name: &Ident,
    arn: Option<(LitStr, LitStr)>,
    declared: &mut Vec<(LitStr, ParameterKind)>,
) -> syn::Result<()> {
    let kind = match (kind_name.to_string().as_str(), arn) {
        ("Arn", Some((service, resource_type))) => arn_kind(&service, &resource_type)?,
        ("Arn", None) => {
            return Err(syn::Error::new(
                kind_name.span(),
                "`Arn` names the resource type its values are ARNs of\n\
                 help: write `Arn(\"service\", \"resource type\")`, e.g. `Arn(\"logs\", \"log-group\")`",
            ));
        }
        (other, None) => ParameterKind::from_name(other).ok_or_else(|| {
            let names = ParameterKind::ALL.iter().map(|kind| kind.name());
            let help = match iam_policy_reference::nearest_name(other, names) {
                Some(nearest) => format!("did you mean `{nearest}`?"),
                None => format!(
                    "use one of {}, or `Arn(\"service\", \"resource type\")`",
                    ParameterKind::ALL
                        .iter()
                        .map(|kind| format!("`{}`", kind.name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            syn::Error::new(
                kind_name.span(),
                format!("unknown parameter kind `{other}`\nhelp: {help}"),
            )
        })?,
        (other, Some(_)) => {
            return Err(syn::Error::new(
                kind_name.span(),
                format!("parameter kind `{other}` takes no arguments; only `Arn(...)` does"),
            ));
        }
    };
    let text = name.value();
    // A name the document can write as a placeholder: `{` `name` `}`.
    let valid = placeholders(&format!("{{{text}}}")).any(|(_, written)| written == text);
    if !valid {
        return Err(syn::Error::new(
            name.span(),
            format!(
                "`{text}` is not a parameter name\n\
                 help: start with a letter, then letters, digits, `-` and `_`, as in `account-id`"
            ),
        ));
    }
    if declared.iter().any(|(other, _)| other.value() == text) {
        return Err(syn::Error::new(
            name.span(),
            format!("parameter `{text}` is declared twice"),
        ));
    }
    declared.push((name.clone(), kind));
    Ok(())
}

/// `Arn("logs", "log-group")`: a resource type of the service authorization reference (whose
/// `'static` names the kind keeps).
fn arn_kind(service: &LitStr, resource_type: &LitStr) -> syn::Result<ParameterKind> {
    let (service_name, type_name) = (service.value(), resource_type.value());
    let Some(found) = iam_policy_reference::service(&service_name) else {
        let nearest = iam_policy_reference::nearest_name(
            &service_name,
            iam_policy_reference::services().map(|s| s.prefix()),
        );
        let help = nearest.map_or(String::new(), |n| format!("\nhelp: did you mean `{n}`?"));
        return Err(syn::Error::new(
            service.span(),
            format!(
                "`{service_name}` is not a service prefix of the service authorization reference{help}"
            ),
        ));
    };
    let Some(resource) = found.resource_types().find(|r| r.name() == type_name) else {
        let names: Vec<&str> = found.resource_types().map(|r| r.name()).collect();
        let help = match iam_policy_reference::nearest_name(&type_name, names.iter().copied()) {
            Some(nearest) => format!("did you mean `{nearest}`?"),
            None => format!("its resource types are `{}`", names.join("`, `")),
        };
        return Err(syn::Error::new(
            resource_type.span(),
            format!("`{service_name}` has no resource type `{type_name}`\nhelp: {help}"),
        ));
    };
    Ok(ParameterKind::Arn {
        service: found.prefix(),
        resource_type: resource.name(),
    })
}

/// `#[waive(CODE, ...)]` or `#[waive(CODE, ..., sid = "Sid")]`.
fn waiver(attr: &Attribute) -> syn::Result<WaiverAttr> {
    let mut waiver = WaiverAttr {
        codes: Vec::new(),
        sid: None,
    };
    attr.parse_args_with(|input: ParseStream| {
        while !input.is_empty() {
            let name: Ident = input.parse()?;
            if name == "sid" {
                input.parse::<Token![=]>()?;
                waiver.sid = Some(input.parse()?);
            } else {
                waiver.codes.push(issue_code(&name)?);
            }
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(())
    })?;
    if waiver.codes.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "`waive` needs the issue codes it waives, e.g. `#[waive(INVALID_ARN_RESOURCE)]`",
        ));
    }
    Ok(waiver)
}

/// A code a waiver may name: known, and not one of the codes that leave the document without a
/// meaning (see `IssueCode::is_waivable`).
fn issue_code(name: &Ident) -> syn::Result<IssueCode> {
    let text = name.to_string();
    let code = IssueCode::from_name(&text).ok_or_else(|| {
        let nearest =
            iam_policy_reference::nearest_name(&text, IssueCode::ALL.iter().map(|c| c.as_str()));
        let help = match nearest {
            Some(code) => format!("\nhelp: did you mean `{code}`?"),
            _ => "\nhelp: use an IAM Access Analyzer issue code such as `INVALID_ARN_RESOURCE`"
                .to_owned(),
        };
        syn::Error::new(name.span(), format!("unknown issue code `{text}`{help}"))
    })?;
    if !code.is_waivable() {
        return Err(syn::Error::new(
            name.span(),
            format!(
                "`{text}` cannot be waived: such a finding leaves the policy without a meaning\n\
                 help: fix the document; a waiver never changes what a policy says"
            ),
        ));
    }
    Ok(code)
}

/// `#[never_grants("iam:PassRole", "iam:Create*")]`: action names or patterns.
fn never_grants(attr: &Attribute) -> syn::Result<Vec<LitStr>> {
    let actions = attr.parse_args_with(Punctuated::<LitStr, Token![,]>::parse_terminated)?;
    if actions.is_empty() {
        return Err(syn::Error::new_spanned(
            attr,
            "`never_grants` needs the actions the policy must never grant, e.g. `#[never_grants(\"iam:PassRole\")]`",
        ));
    }
    Ok(actions.into_iter().collect())
}

/// `#[no_public_access("AWS::S3::Bucket")]`: one of Access Analyzer's resource types.
fn no_public_access(attr: &Attribute) -> syn::Result<PublicAccessResourceType> {
    let name: LitStr = attr.parse_args()?;
    PublicAccessResourceType::parse(&name.value())
        .map_err(|error| syn::Error::new(name.span(), error.to_string()))
}
