//! A whole configuration, and the one function that validates a draft of it.

use serde::{Deserialize, Serialize};

use crate::problem::{Problem, Problems};
use crate::{ClientId, ClientSecret, Code, Draft, EndpointUrl, Field, GrantType, Name, Scopes};

/// A valid OAuth2 client configuration, without its secret.
///
/// The secret travels apart from the configuration so that storing or serialising a `Config`
/// can never write it. Deserialising goes through [`validate`], so a `Config` read from JSON
/// satisfies every rule a form-made one does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ConfigRecord", into = "ConfigRecord")]
pub struct Config {
    pub name: Name,
    pub client_id: ClientId,
    pub token_url: Option<EndpointUrl>,
    /// `None` means the Token URL is also the refresh endpoint.
    pub refresh_token_url: Option<EndpointUrl>,
    pub auth_url: Option<EndpointUrl>,
    pub scopes: Scopes,
    pub grant_type: GrantType,
}

impl Config {
    /// Returns the URL used to refresh tokens: the Refresh Token URL, or else the Token URL.
    pub fn effective_refresh_url(&self) -> Option<&EndpointUrl> {
        self.refresh_token_url.as_ref().or(self.token_url.as_ref())
    }

    /// Returns the draft that shows this configuration in the form. The secret field is empty.
    pub fn to_draft(&self) -> Draft {
        let text = |url: &Option<EndpointUrl>| url.as_ref().map(|url| url.as_str().to_owned()).unwrap_or_default();
        Draft {
            name: self.name.as_str().to_owned(),
            client_id: self.client_id.as_str().to_owned(),
            client_secret: String::new(),
            token_url: text(&self.token_url),
            refresh_token_url: text(&self.refresh_token_url),
            auth_url: text(&self.auth_url),
            scopes: self.scopes.to_string(),
            grant_type: self.grant_type.as_str().to_owned(),
        }
    }
}

/// Facts beyond the draft that validation needs.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// Names of the other configurations, for the uniqueness rule. Leave out the one being edited.
    pub other_names: Vec<String>,
    /// Whether a secret is already on file for this configuration, so that an empty secret field
    /// means "keep it" rather than "none".
    pub secret_on_file: bool,
}

/// Everything validation found: the configuration when there is no error, and every problem.
#[derive(Debug)]
pub struct Validation {
    pub config: Option<Config>,
    /// The newly typed secret, if any. `None` with `secret_on_file` keeps the stored one.
    pub secret: Option<ClientSecret>,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

impl Validation {
    pub fn is_valid(&self) -> bool {
        self.errors.is_empty()
    }

    /// Returns the problems for one field, errors first.
    pub fn for_field(&self, field: Field) -> impl Iterator<Item = &Problem> {
        self.errors
            .iter()
            .chain(&self.warnings)
            .filter(move |problem| problem.field == field)
    }

    /// Returns the first field with an error, in form order.
    pub fn first_invalid_field(&self) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|field| self.errors.iter().any(|problem| problem.field == *field))
    }
}

/// Validates a whole draft and returns every problem at once.
pub fn validate(draft: &Draft, context: &Context) -> Validation {
    let mut problems = Problems::default();

    let name = Name::parse(&draft.name, &mut problems);
    if let Some(name) = &name {
        if context.other_names.iter().any(|other| name.same_as(other)) {
            problems.error(
                Field::Name,
                Code::DuplicateName,
                format!("Name \"{}\" is already used by another configuration (names ignore case); choose a different name.", name.as_str()),
            );
        }
    }
    let client_id = ClientId::parse(&draft.client_id, &mut problems);
    let secret = ClientSecret::parse(&draft.client_secret, &mut problems);
    let token_url = EndpointUrl::parse(Field::TokenUrl, &draft.token_url, &mut problems);
    let refresh_token_url = EndpointUrl::parse(Field::RefreshTokenUrl, &draft.refresh_token_url, &mut problems);
    let auth_url = EndpointUrl::parse(Field::AuthUrl, &draft.auth_url, &mut problems);
    let scopes = Scopes::parse(&draft.scopes, &mut problems);
    let grant_type = GrantType::parse(&draft.grant_type, &mut problems);

    if let Some(grant) = &grant_type {
        // A typed secret that was rejected already has its own error, so it does not also count
        // as an empty field.
        let has_secret = !draft.client_secret.is_empty() || context.secret_on_file;
        check_grant_needs(grant, draft, has_secret, &mut problems);
    }
    if let (Some(token), Some(auth)) = (&token_url, &auth_url) {
        if token == auth {
            problems.warn(
                Field::TokenUrl,
                Code::SameTokenAndAuthUrl,
                "Token URL is the same as Auth URL; providers almost always use two endpoints, so check both against the provider's documentation.",
            );
        }
    }

    let config = match (name, client_id, scopes, grant_type) {
        (Some(name), Some(client_id), Some(scopes), Some(grant_type)) if problems.errors.is_empty() => Some(Config {
            name,
            client_id,
            token_url,
            refresh_token_url,
            auth_url,
            scopes,
            grant_type,
        }),
        _ => None,
    };
    problems.errors.sort_by_key(|problem| problem.field);
    problems.warnings.sort_by_key(|problem| problem.field);
    Validation {
        config,
        secret,
        errors: problems.errors,
        warnings: problems.warnings,
    }
}

/// Applies the rules that depend on the grant type: which URLs and whether a secret it needs.
fn check_grant_needs(grant: &GrantType, draft: &Draft, has_secret: bool, problems: &mut Problems) {
    let grant_name = grant.as_str();
    if grant.uses_token_url() && draft.token_url.trim().is_empty() {
        problems.error(
            Field::TokenUrl,
            Code::Required,
            format!("Token URL is required for the {grant_name} grant: enter the provider's token endpoint, for example https://auth.example.com/oauth/token."),
        );
    }
    let auth_url_typed = !draft.auth_url.trim().is_empty();
    if grant.uses_auth_url() && !auth_url_typed {
        problems.error(
            Field::AuthUrl,
            Code::Required,
            format!("Auth URL is required for the {grant_name} grant: enter the provider's authorization endpoint, for example https://auth.example.com/oauth/authorize."),
        );
    }
    if !grant.uses_auth_url() && auth_url_typed {
        problems.warn(
            Field::AuthUrl,
            Code::NotUsedByGrant,
            format!("Auth URL is not used by the {grant_name} grant; it is kept, but you can clear it."),
        );
    }
    if has_secret {
        return;
    }
    if grant.requires_secret() {
        problems.error(
            Field::ClientSecret,
            Code::SecretRequired,
            format!("Client Secret is required for the {grant_name} grant: paste the secret the provider issued with this Client ID."),
        );
    } else if *grant == GrantType::AuthorizationCode {
        problems.warn(
            Field::ClientSecret,
            Code::PublicClient,
            "Client Secret is empty, so this is a public client and the provider will require PKCE; add the secret if the provider issued one.",
        );
    }
}

/// The JSON shape of a [`Config`]: optional URLs as `null` and scopes as an array.
#[derive(Serialize, Deserialize)]
struct ConfigRecord {
    name: String,
    client_id: String,
    token_url: Option<String>,
    #[serde(default)]
    refresh_token_url: Option<String>,
    #[serde(default)]
    auth_url: Option<String>,
    #[serde(default)]
    scopes: Vec<String>,
    grant_type: String,
}

impl TryFrom<ConfigRecord> for Config {
    type Error = String;

    fn try_from(record: ConfigRecord) -> Result<Config, String> {
        let draft = Draft {
            name: record.name,
            client_id: record.client_id,
            client_secret: String::new(),
            token_url: record.token_url.unwrap_or_default(),
            refresh_token_url: record.refresh_token_url.unwrap_or_default(),
            auth_url: record.auth_url.unwrap_or_default(),
            scopes: record.scopes.join(" "),
            grant_type: record.grant_type,
        };
        // A stored configuration never carries its secret, so the secret rule is met elsewhere.
        let context = Context {
            other_names: Vec::new(),
            secret_on_file: true,
        };
        let validation = validate(&draft, &context);
        match validation.config {
            Some(config) => Ok(config),
            None => Err(validation
                .errors
                .into_iter()
                .next()
                .map(|problem| problem.message)
                .unwrap_or_default()),
        }
    }
}

impl From<Config> for ConfigRecord {
    fn from(config: Config) -> ConfigRecord {
        let text = |url: Option<EndpointUrl>| url.map(String::from);
        ConfigRecord {
            name: config.name.into(),
            client_id: config.client_id.into(),
            token_url: text(config.token_url),
            refresh_token_url: text(config.refresh_token_url),
            auth_url: text(config.auth_url),
            scopes: config.scopes.into(),
            grant_type: config.grant_type.into(),
        }
    }
}
