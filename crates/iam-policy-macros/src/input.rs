//! The input of `policy!`: the expression form `policy!(#[attrs] { ... })` or the item form
//! `policy! { #[attrs] /// doc
//! pub const NAME = { ... }; ... }`, and the attributes both share.

use iam_policy_core::check::PublicAccessResourceType;
use iam_policy_core::parameter::placeholders;
use iam_policy_core::{IssueCode, ParameterKind, PolicyKind};
use proc_macro::{Delimiter, Group, Ident, Span, TokenStream, TokenTree};

use crate::error::{Error, Errors};
use crate::parse::{Cursor, LiteralKind, StringLiteral, literal_kind};

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
    pub attribute_errors: Option<Error>,
}

/// `pub const NAME = { ... };` with its attributes (doc comments are passed through). The
/// tokens the expansion repeats are kept as written, spans and all.
pub(crate) struct Item {
    /// The attributes that are not `policy!`'s, each `#` and its `[...]`.
    pub attrs: TokenStream,
    pub vis: TokenStream,
    /// `static` when the item is one, else `None` (a `const`).
    pub static_token: Option<Ident>,
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
    pub parameters: Vec<Declared>,
    pub waivers: Vec<WaiverAttr>,
    /// `#[never_grants("iam:PassRole", ...)]`: actions no statement may grant.
    pub never_grants: Vec<StringLiteral>,
    /// `#[no_public_access("AWS::S3::Bucket")]`.
    pub no_public_access: Option<PublicAccessResourceType>,
}

/// A parameter of `#[parameters(...)]`: its name, where it is written, its kind.
pub(crate) struct Declared {
    pub name: StringLiteral,
    pub kind: ParameterKind,
}

/// `#[waive(CODE, ..., sid = "Sid")]`: the statement is resolved once the document is parsed.
pub(crate) struct WaiverAttr {
    pub codes: Vec<IssueCode>,
    pub sid: Option<StringLiteral>,
}

/// One `#[...]` before a document or an item.
struct Attribute {
    /// `#` and the `[...]` group, as written.
    tokens: [TokenTree; 2],
    /// The path's tokens (`kind`, or `a::b` for an attribute that is not ours).
    path: Vec<TokenTree>,
    meta: Meta,
}

/// What follows an attribute's path.
enum Meta {
    /// `#[name]`.
    Path,
    /// `#[name(...)]` (or `[...]`, `{...}`).
    List(Group),
    /// `#[name = value]`: the `=` and the value's tokens.
    NameValue(Span, Vec<TokenTree>),
}

impl Attribute {
    fn is(&self, name: &str) -> bool {
        matches!(&self.path[..], [TokenTree::Ident(ident)] if ident.to_string() == name)
    }

    /// The display of the attribute in errors: `#[name(...)]`.
    fn name(&self) -> String {
        self.path.iter().map(ToString::to_string).collect()
    }

    /// The arguments in parentheses, read by `parse`, which must read them all.
    fn args<T>(&self, parse: impl FnOnce(&mut Cursor) -> Result<T, Error>) -> Result<T, Error> {
        match &self.meta {
            Meta::List(group) => {
                let mut cursor = Cursor::of(group);
                let value = parse(&mut cursor)?;
                cursor.finish(None)?;
                Ok(value)
            }
            Meta::Path => Err(Error::covering(
                &self.path,
                format!(
                    "expected attribute arguments in parentheses: #[{}(...)]",
                    self.name()
                ),
            )),
            Meta::NameValue(eq, _) => Err(Error::new(
                *eq,
                format!("expected parentheses: #[{}(...)]", self.name()),
            )),
        }
    }
}

pub(crate) fn parse(input: TokenStream, end: Span) -> Result<Input, Error> {
    let mut input = Cursor::new(input, end);
    let attrs = attributes(&mut input)?;
    match input.peek_unwrapped() {
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => {
            let document = document(&mut input, attrs, false)?.1;
            if !input.at_end() {
                return Err(input.error("unexpected tokens after the policy document"));
            }
            return Ok(Input::Expression(document));
        }
        Some(TokenTree::Literal(literal))
            if matches!(
                literal_kind(&literal.to_string()),
                LiteralKind::String { .. }
            ) =>
        {
            return Err(input.error(
                "expected the policy document in braces\n\
                 help: write `policy!({ \"Version\": ... })` (the document is one JSON object)",
            ));
        }
        _ => {}
    }
    let mut items = vec![item(&mut input, attrs)?];
    while !input.at_end() {
        let attrs = attributes(&mut input)?;
        items.push(item(&mut input, attrs)?);
    }
    Ok(Input::Items(items))
}

/// `#[...]`s, outer attributes.
fn attributes(input: &mut Cursor) -> Result<Vec<Attribute>, Error> {
    let mut attrs = Vec::new();
    while input.peek_punct('#') {
        let pound = input.bump();
        let Some(group) = input.peek_group(Delimiter::Bracket).cloned() else {
            return Err(input.error("expected square brackets"));
        };
        input.bump();
        let mut content = Cursor::of(&group);
        let path = attribute_path(&mut content)?;
        let meta = meta(&mut content)?;
        attrs.extend(pound.map(|pound| Attribute {
            tokens: [pound, TokenTree::Group(group)],
            path,
            meta,
        }));
    }
    Ok(attrs)
}

/// What follows an attribute's path, up to the end of its `[...]`.
fn meta(content: &mut Cursor) -> Result<Meta, Error> {
    let list = match content.peek() {
        Some(TokenTree::Group(group)) if group.delimiter() != Delimiter::None => {
            Some(group.clone())
        }
        _ => None,
    };
    if let Some(list) = list {
        content.bump();
        content.finish(Some(']'))?;
        return Ok(Meta::List(list));
    }
    if content.peek_punct('=') {
        let eq = content.punct('=')?;
        if content.at_end() {
            return Err(content.error("expected an expression"));
        }
        return Ok(Meta::NameValue(eq, content.rest()));
    }
    content.finish(Some(']'))?;
    Ok(Meta::Path)
}

/// `name`, `a::b` or `::a::b`.
fn attribute_path(content: &mut Cursor) -> Result<Vec<TokenTree>, Error> {
    let mut path = Vec::new();
    let mut segments = 0;
    if content.peek_path_separator() {
        path.extend(content.bump());
        path.extend(content.bump());
    }
    loop {
        match content.peek() {
            Some(TokenTree::Ident(_)) => path.extend(content.bump()),
            _ if segments == 0 => return Err(content.error("expected identifier")),
            _ => return Err(content.error("expected path segment after `::`")),
        }
        segments += 1;
        if !content.peek_path_separator() {
            return Ok(path);
        }
        path.extend(content.bump());
        path.extend(content.bump());
    }
}

fn item(input: &mut Cursor, attrs: Vec<Attribute>) -> Result<Item, Error> {
    let vis = visibility(input);
    let static_token = if input.peek_keyword("static") {
        match input.bump() {
            Some(TokenTree::Ident(token)) => Some(token),
            _ => None,
        }
    } else if input.peek_keyword("const") {
        input.bump();
        None
    } else {
        let error = input.error("expected `const`");
        return Err(Error::new(
            error.span(),
            "expected a policy document `{ ... }` or an item `pub const NAME = { ... };`",
        ));
    };
    let name = input.ident()?;
    let statement = input.peek_punct(':');
    if statement {
        input.punct(':')?;
        let ty = input.ident()?;
        if ty.to_string() != "Statement" {
            return Err(Error::new(
                ty.span(),
                "expected `Statement`: `pub const NAME: Statement = { ... };` declares a statement \
                 for documents to include; a policy is written `pub const NAME = { ... };`",
            ));
        }
    }
    input.punct('=')?;
    if !matches!(input.peek_unwrapped(), Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace)
    {
        return Err(input.error("expected the policy document `{ ... }`"));
    }
    let (attrs, document) = document(input, attrs, true)?;
    input.punct(';')?;
    Ok(Item {
        attrs,
        vis,
        static_token,
        name,
        statement,
        document,
    })
}

/// `pub`, `pub(crate)`, `pub(self)`, `pub(super)`, `pub(in path)` or nothing; or a `$vis`
/// fragment of a `macro_rules!` macro, kept as it is.
fn visibility(input: &mut Cursor) -> TokenStream {
    if let Some(group) = input.peek_group(Delimiter::None) {
        let mut inside = group.stream().into_iter();
        let is_visibility = match inside.next() {
            None => true,
            Some(TokenTree::Ident(ident)) => ident.to_string() == "pub",
            Some(_) => false,
        };
        if is_visibility {
            return input.bump().into_iter().collect();
        }
    }
    if !input.peek_keyword("pub") {
        return TokenStream::new();
    }
    let mut vis: Vec<TokenTree> = input.bump().into_iter().collect();
    let restricted = input
        .peek_group(Delimiter::Parenthesis)
        .is_some_and(|group| {
            let words: Vec<String> = group.stream().into_iter().map(|t| t.to_string()).collect();
            matches!(&words[..], [word] if matches!(word.as_str(), "crate" | "self" | "super"))
                || words.first().is_some_and(|word| word == "in")
        });
    if restricted {
        vis.extend(input.bump());
    }
    vis.into_iter().collect()
}

/// Reads the document group; returns the attributes that are not ours (only items have them).
fn document(
    input: &mut Cursor,
    attrs: Vec<Attribute>,
    item: bool,
) -> Result<(TokenStream, Document), Error> {
    let mut settings = Settings::default();
    let mut errors = Errors::default();
    let mut passed = Vec::new();
    for attr in attrs {
        let result = if attr.is("kind") {
            kind(&attr).map(|kind| settings.kind = Some(kind))
        } else if attr.is("parameters") {
            settings.templated = true;
            let declared = parameters(&attr, &mut settings.parameters);
            settings.parameter_errors |= declared.is_err();
            declared
        } else if attr.is("waive") {
            waiver(&attr).map(|waiver| settings.waivers.push(waiver))
        } else if attr.is("never_grants") {
            never_grants(&attr).map(|actions| settings.never_grants.extend(actions))
        } else if attr.is("no_public_access") {
            no_public_access(&attr).map(|kind| settings.no_public_access = Some(kind))
        } else if item {
            passed.extend(attr.tokens);
            Ok(())
        } else {
            Err(Error::covering(
                &attr.path,
                "unknown attribute: `policy!` takes `kind`, `parameters`, `waive`, `never_grants` and `no_public_access`",
            ))
        };
        if let Err(error) = result {
            errors.push(error);
        }
    }
    let group = match input.bump() {
        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Brace => group,
        Some(other) => return Err(Error::new(other.span(), "expected `{`")),
        None => return Err(input.error("expected `{`")),
    };
    let document = Document {
        settings,
        group,
        attribute_errors: errors.into_error(),
    };
    Ok((passed.into_iter().collect(), document))
}

/// `#[kind = "identity" | "inline" | "resource" | "role-trust" | "scp" | "rcp"]`.
fn kind(attr: &Attribute) -> Result<PolicyKind, Error> {
    const KINDS: &str = "`identity`, `inline`, `resource`, `role-trust`, `scp` or `rcp`";
    let value = match &attr.meta {
        Meta::NameValue(_, value) => value,
        Meta::Path => {
            return Err(Error::covering(
                &attr.path,
                format!(
                    "expected a value for this attribute: `{} = ...`",
                    attr.name()
                ),
            ));
        }
        Meta::List(group) => return Err(Error::new(group.span_open(), "expected `=`")),
    };
    let text = match &value[..] {
        [TokenTree::Literal(literal)] => match literal_kind(&literal.to_string()) {
            LiteralKind::String { value, .. } => Some((value, literal.span())),
            _ => None,
        },
        _ => None,
    };
    let Some((text, span)) = text else {
        return Err(Error::covering(
            value,
            format!("expected a policy kind in quotes: {KINDS}"),
        ));
    };
    match text.as_str() {
        "identity" => Ok(PolicyKind::Identity),
        "inline" => Ok(PolicyKind::Inline),
        "resource" => Ok(PolicyKind::Resource),
        "role-trust" => Ok(PolicyKind::RoleTrust),
        "scp" => Ok(PolicyKind::Scp),
        "rcp" => Ok(PolicyKind::Rcp),
        other => Err(Error::new(
            span,
            format!("unknown policy kind `{other}`\nhelp: use {KINDS}"),
        )),
    }
}

/// `#[parameters("region": Region, "account-id": AccountId, "logs": Arn("logs", "log-group"))]`.
fn parameters(attr: &Attribute, declared: &mut Vec<Declared>) -> Result<(), Error> {
    let list = attr.args(|input| {
        let mut list = Vec::new();
        while !input.at_end() {
            let name = input.string()?;
            input.punct(':')?;
            let kind = input.ident()?;
            let arn = match input.peek_group(Delimiter::Parenthesis).cloned() {
                Some(group) => {
                    input.bump();
                    let mut args = Cursor::of(&group);
                    let service = args.string()?;
                    args.punct(',')?;
                    let resource_type = args.string()?;
                    if args.peek_punct(',') {
                        args.bump();
                    }
                    args.finish(Some(')'))?;
                    Some((service, resource_type))
                }
                None => None,
            };
            list.push((name, kind, arn));
            if input.at_end() {
                break;
            }
            input.punct(',')?;
        }
        Ok(list)
    })?;
    let mut errors = Errors::default();
    for (name, kind_name, arn) in list {
        if let Err(error) = declaration(name, &kind_name, arn, declared) {
            errors.push(error);
        }
    }
    errors.or(())
}

/// One `"name": Kind` of `#[parameters(...)]`, added to `declared` when it is right.
fn declaration(
    name: StringLiteral,
    kind_name: &Ident,
    arn: Option<(StringLiteral, StringLiteral)>,
    declared: &mut Vec<Declared>,
) -> Result<(), Error> {
    let kind = match (kind_name.to_string().as_str(), arn) {
        ("Arn", Some((service, resource_type))) => arn_kind(&service, &resource_type)?,
        ("Arn", None) => {
            return Err(Error::new(
                kind_name.span(),
                "`Arn` names the resource type its values are ARNs of\n\
                 help: write `Arn(\"service\", \"resource type\")`, e.g. `Arn(\"logs\", \"log-group\")`",
            ));
        }
        (other, None) => ParameterKind::from_name(other).ok_or_else(|| {
            let names = ParameterKind::ALL.iter().map(|kind| kind.name());
            let help = match iam_policy_core::suggest::nearest_name(other, names) {
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
            Error::new(
                kind_name.span(),
                format!("unknown parameter kind `{other}`\nhelp: {help}"),
            )
        })?,
        (other, Some(_)) => {
            return Err(Error::new(
                kind_name.span(),
                format!("parameter kind `{other}` takes no arguments; only `Arn(...)` does"),
            ));
        }
    };
    let text = &name.value;
    // A name the document can write as a placeholder: `{` `name` `}`.
    let valid = placeholders(&format!("{{{text}}}")).any(|(_, written)| written == text);
    if !valid {
        return Err(Error::new(
            name.span,
            format!(
                "`{text}` is not a parameter name\n\
                 help: start with a letter, then letters, digits, `-` and `_`, as in `account-id`"
            ),
        ));
    }
    if declared.iter().any(|other| other.name.value == *text) {
        return Err(Error::new(
            name.span,
            format!("parameter `{text}` is declared twice"),
        ));
    }
    declared.push(Declared { name, kind });
    Ok(())
}

/// `Arn("logs", "log-group")`: a resource type of the service authorization reference (whose
/// `'static` names the kind keeps).
fn arn_kind(
    service: &StringLiteral,
    resource_type: &StringLiteral,
) -> Result<ParameterKind, Error> {
    let (service_name, type_name) = (&service.value, &resource_type.value);
    let Some(found) = iam_policy_reference::service(service_name) else {
        let nearest = iam_policy_core::suggest::nearest_name(
            service_name,
            iam_policy_reference::services().map(|s| s.prefix()),
        );
        let help = nearest.map_or(String::new(), |n| format!("\nhelp: did you mean `{n}`?"));
        return Err(Error::new(
            service.span,
            format!(
                "`{service_name}` is not a service prefix of the service authorization reference{help}"
            ),
        ));
    };
    let Some(resource) = found.resource_types().find(|r| r.name() == type_name) else {
        let names: Vec<&str> = found.resource_types().map(|r| r.name()).collect();
        let help = match iam_policy_core::suggest::nearest_name(type_name, names.iter().copied()) {
            Some(nearest) => format!("did you mean `{nearest}`?"),
            None => format!("its resource types are `{}`", names.join("`, `")),
        };
        return Err(Error::new(
            resource_type.span,
            format!("`{service_name}` has no resource type `{type_name}`\nhelp: {help}"),
        ));
    };
    Ok(ParameterKind::Arn {
        service: found.prefix(),
        resource_type: resource.name(),
    })
}

/// `#[waive(CODE, ...)]` or `#[waive(CODE, ..., sid = "Sid")]`.
fn waiver(attr: &Attribute) -> Result<WaiverAttr, Error> {
    let waiver = attr.args(|input| {
        let mut waiver = WaiverAttr {
            codes: Vec::new(),
            sid: None,
        };
        while !input.at_end() {
            let name = input.ident()?;
            if name.to_string() == "sid" {
                input.punct('=')?;
                waiver.sid = Some(input.string()?);
            } else {
                waiver.codes.push(issue_code(&name)?);
            }
            if !input.at_end() {
                input.punct(',')?;
            }
        }
        Ok(waiver)
    })?;
    if waiver.codes.is_empty() {
        return Err(Error::covering(
            &attr.tokens,
            "`waive` needs the issue codes it waives, e.g. `#[waive(INVALID_ARN_RESOURCE)]`",
        ));
    }
    Ok(waiver)
}

/// A code a waiver may name: known, and not one of the codes that leave the document without a
/// meaning (see `IssueCode::is_waivable`).
fn issue_code(name: &Ident) -> Result<IssueCode, Error> {
    let text = name.to_string();
    let code = IssueCode::from_name(&text).ok_or_else(|| {
        let nearest = iam_policy_core::suggest::nearest_name(
            &text,
            IssueCode::ALL.iter().map(|c| c.as_str()),
        );
        let help = match nearest {
            Some(code) => format!("\nhelp: did you mean `{code}`?"),
            _ => "\nhelp: use an IAM Access Analyzer issue code such as `INVALID_ARN_RESOURCE`"
                .to_owned(),
        };
        Error::new(name.span(), format!("unknown issue code `{text}`{help}"))
    })?;
    if !code.is_waivable() {
        return Err(Error::new(
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
fn never_grants(attr: &Attribute) -> Result<Vec<StringLiteral>, Error> {
    let actions = attr.args(|input| {
        let mut actions = Vec::new();
        while !input.at_end() {
            actions.push(input.string()?);
            if input.at_end() {
                break;
            }
            input.punct(',')?;
        }
        Ok(actions)
    })?;
    if actions.is_empty() {
        return Err(Error::covering(
            &attr.tokens,
            "`never_grants` needs the actions the policy must never grant, e.g. `#[never_grants(\"iam:PassRole\")]`",
        ));
    }
    Ok(actions)
}

/// `#[no_public_access("AWS::S3::Bucket")]`: one of Access Analyzer's resource types.
fn no_public_access(attr: &Attribute) -> Result<PublicAccessResourceType, Error> {
    let name = attr.args(Cursor::string)?;
    PublicAccessResourceType::parse(&name.value)
        .map_err(|error| Error::new(name.span, error.to_string()))
}
