--
-- PostgreSQL database dump
--


-- Dumped from database version 15.20 (Debian 15.20-0+deb12u1)
-- Dumped by pg_dump version 15.20 (Debian 15.20-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: agora_9672f58; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA agora_9672f58;


--
-- Name: river_job_state; Type: TYPE; Schema: agora_9672f58; Owner: -
--

CREATE TYPE agora_9672f58.river_job_state AS ENUM (
    'available',
    'cancelled',
    'completed',
    'discarded',
    'pending',
    'retryable',
    'running',
    'scheduled'
);


--
-- Name: agora_append_only(); Type: FUNCTION; Schema: agora_9672f58; Owner: -
--

CREATE FUNCTION agora_9672f58.agora_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$;


--
-- Name: comment_threads_bump(); Type: FUNCTION; Schema: agora_9672f58; Owner: -
--

CREATE FUNCTION agora_9672f58.comment_threads_bump() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
					BEGIN
						IF TG_OP = 'DELETE' THEN
							INSERT INTO comment_threads (target_kind, target_id, version) VALUES (OLD.target_kind, OLD.target_id, 1)
				ON CONFLICT (target_kind, target_id) DO UPDATE SET version = comment_threads.version + 1;
							RETURN OLD;
						END IF;
						INSERT INTO comment_threads (target_kind, target_id, version) VALUES (NEW.target_kind, NEW.target_id, 1)
				ON CONFLICT (target_kind, target_id) DO UPDATE SET version = comment_threads.version + 1;
						RETURN NEW;
					END $$;


--
-- Name: river_job_state_in_bitmask(bit, agora_9672f58.river_job_state); Type: FUNCTION; Schema: agora_9672f58; Owner: -
--

CREATE FUNCTION agora_9672f58.river_job_state_in_bitmask(bitmask bit, state agora_9672f58.river_job_state) RETURNS boolean
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE state
        WHEN 'available' THEN get_bit(bitmask, 7)
        WHEN 'cancelled' THEN get_bit(bitmask, 6)
        WHEN 'completed' THEN get_bit(bitmask, 5)
        WHEN 'discarded' THEN get_bit(bitmask, 4)
        WHEN 'pending'   THEN get_bit(bitmask, 3)
        WHEN 'retryable' THEN get_bit(bitmask, 2)
        WHEN 'running'   THEN get_bit(bitmask, 1)
        WHEN 'scheduled' THEN get_bit(bitmask, 0)
        ELSE 0
    END = 1;
$$;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: account_roles; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.account_roles (
    account_id character varying NOT NULL,
    role character varying NOT NULL,
    service character varying NOT NULL,
    granted_at timestamp with time zone NOT NULL
);


--
-- Name: accounts; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.accounts (
    id character varying NOT NULL,
    handle character varying NOT NULL,
    display_name character varying NOT NULL,
    language character varying NOT NULL,
    public boolean NOT NULL,
    webauthn_id bytea NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying,
    deletion_requested_at timestamp with time zone,
    deleted_at timestamp with time zone
);


--
-- Name: agora_migration_locks; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.agora_migration_locks (
    id bigint NOT NULL,
    table_name character varying
);


--
-- Name: agora_migration_locks_id_seq; Type: SEQUENCE; Schema: agora_9672f58; Owner: -
--

CREATE SEQUENCE agora_9672f58.agora_migration_locks_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: agora_migration_locks_id_seq; Type: SEQUENCE OWNED BY; Schema: agora_9672f58; Owner: -
--

ALTER SEQUENCE agora_9672f58.agora_migration_locks_id_seq OWNED BY agora_9672f58.agora_migration_locks.id;


--
-- Name: agora_migrations; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.agora_migrations (
    id bigint NOT NULL,
    name character varying,
    group_id bigint,
    migrated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: agora_migrations_id_seq; Type: SEQUENCE; Schema: agora_9672f58; Owner: -
--

CREATE SEQUENCE agora_9672f58.agora_migrations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: agora_migrations_id_seq; Type: SEQUENCE OWNED BY; Schema: agora_9672f58; Owner: -
--

ALTER SEQUENCE agora_9672f58.agora_migrations_id_seq OWNED BY agora_9672f58.agora_migrations.id;


--
-- Name: ap_domain_blocks; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_domain_blocks (
    host character varying NOT NULL,
    severity character varying NOT NULL,
    reason character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    created_by character varying
);


--
-- Name: ap_followers; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_followers (
    actor character varying NOT NULL,
    follower character varying NOT NULL,
    inbox character varying NOT NULL,
    follow_id character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ap_following; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_following (
    remote character varying NOT NULL,
    follow_id character varying NOT NULL,
    state character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    accepted_at timestamp with time zone,
    created_by character varying
);


--
-- Name: ap_keys; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_keys (
    owner character varying NOT NULL,
    private_pem character varying NOT NULL,
    public_pem character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ap_peers; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_peers (
    host character varying NOT NULL,
    last_success_at timestamp with time zone,
    last_failure_at timestamp with time zone,
    first_failure_at timestamp with time zone,
    failures bigint NOT NULL,
    unreachable_since timestamp with time zone,
    last_error character varying NOT NULL
);


--
-- Name: ap_published; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_published (
    object_type character varying NOT NULL,
    object_id character varying NOT NULL,
    group_actor character varying NOT NULL,
    author_actor character varying NOT NULL
);


--
-- Name: ap_reactions; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_reactions (
    activity_id character varying NOT NULL,
    actor character varying NOT NULL,
    kind character varying NOT NULL,
    object_type character varying NOT NULL,
    object_id character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: ap_received; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_received (
    activity_id character varying NOT NULL,
    actor character varying NOT NULL,
    type character varying NOT NULL,
    body character varying NOT NULL,
    received_at timestamp with time zone NOT NULL,
    processed_at timestamp with time zone,
    outcome character varying NOT NULL
);


--
-- Name: ap_remote_actors; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_remote_actors (
    id character varying NOT NULL,
    type character varying NOT NULL,
    host character varying NOT NULL,
    inbox character varying NOT NULL,
    shared_inbox character varying NOT NULL,
    key_id character varying NOT NULL,
    public_key_pem character varying NOT NULL,
    preferred_username character varying NOT NULL,
    name character varying NOT NULL,
    url character varying NOT NULL,
    summary character varying NOT NULL,
    fetched_at timestamp with time zone NOT NULL
);


--
-- Name: ap_remote_objects; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_remote_objects (
    id character varying NOT NULL,
    type character varying NOT NULL,
    group_actor character varying NOT NULL,
    attributed_to character varying NOT NULL,
    author_name character varying NOT NULL,
    name character varying NOT NULL,
    content_html character varying NOT NULL,
    url character varying NOT NULL,
    in_reply_to character varying NOT NULL,
    context character varying NOT NULL,
    state character varying NOT NULL,
    supports bigint NOT NULL,
    published timestamp with time zone NOT NULL,
    updated timestamp with time zone NOT NULL,
    deleted_at timestamp with time zone,
    received_at timestamp with time zone NOT NULL
);


--
-- Name: ap_sent_adoptions; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.ap_sent_adoptions (
    adoption_id character varying NOT NULL,
    app_id character varying NOT NULL,
    target character varying NOT NULL,
    inbox character varying NOT NULL,
    sent_at timestamp with time zone NOT NULL
);


--
-- Name: app_adoptions; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.app_adoptions (
    id character varying NOT NULL,
    app_id character varying NOT NULL,
    adopter_key character varying NOT NULL,
    name character varying NOT NULL,
    actor character varying,
    version character varying NOT NULL,
    contact character varying NOT NULL,
    since timestamp with time zone NOT NULL,
    remote_id character varying,
    created_by character varying,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: app_artifacts; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.app_artifacts (
    id character varying NOT NULL,
    release_id character varying NOT NULL,
    "position" bigint NOT NULL,
    name character varying NOT NULL,
    blob_key character varying NOT NULL,
    sha256 character varying NOT NULL,
    size bigint NOT NULL,
    media_type character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: app_media; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.app_media (
    id character varying NOT NULL,
    app_id character varying NOT NULL,
    kind character varying NOT NULL,
    "position" bigint NOT NULL,
    blob_key character varying NOT NULL,
    sha256 character varying NOT NULL,
    size bigint NOT NULL,
    media_type character varying NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: app_releases; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.app_releases (
    id character varying NOT NULL,
    app_id character varying NOT NULL,
    version character varying NOT NULL,
    released_on timestamp with time zone NOT NULL,
    changelog character varying NOT NULL,
    created_by character varying,
    created_at timestamp with time zone NOT NULL,
    remote_id character varying
);


--
-- Name: app_tags; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.app_tags (
    app_id character varying NOT NULL,
    kind character varying NOT NULL,
    value character varying NOT NULL
);


--
-- Name: apps; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.apps (
    id character varying NOT NULL,
    slug character varying NOT NULL,
    name character varying NOT NULL,
    url character varying NOT NULL,
    publiccode_yml character varying NOT NULL,
    publiccode_version character varying NOT NULL,
    landing_url character varying NOT NULL,
    software_version character varying NOT NULL,
    release_date character varying NOT NULL,
    categories character varying NOT NULL,
    platforms character varying NOT NULL,
    development_status character varying NOT NULL,
    software_type character varying NOT NULL,
    license character varying NOT NULL,
    osi_approved boolean NOT NULL,
    languages character varying NOT NULL,
    short_descriptions character varying NOT NULL,
    search_text character varying NOT NULL,
    review_state character varying NOT NULL,
    check_osi_licence boolean NOT NULL,
    check_source_reachable boolean NOT NULL,
    check_maintenance_declared boolean NOT NULL,
    check_accessibility boolean NOT NULL,
    check_french_documentation boolean NOT NULL,
    reviewed_by character varying,
    reviewed_at timestamp with time zone,
    certified_by character varying,
    certified_at timestamp with time zone,
    created_by character varying,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    deprecated_at timestamp with time zone,
    deleted_at timestamp with time zone,
    origin_actor character varying,
    origin_node character varying,
    remote_id character varying,
    remote_url character varying
);


--
-- Name: audit_log; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.audit_log (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_id character varying,
    action character varying NOT NULL,
    subject_id character varying,
    on_behalf_of character varying,
    desk character varying NOT NULL,
    details character varying NOT NULL,
    reason character varying NOT NULL
);


--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: agora_9672f58; Owner: -
--

CREATE SEQUENCE agora_9672f58.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: audit_log_id_seq; Type: SEQUENCE OWNED BY; Schema: agora_9672f58; Owner: -
--

ALTER SEQUENCE agora_9672f58.audit_log_id_seq OWNED BY agora_9672f58.audit_log.id;


--
-- Name: census_entries; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.census_entries (
    hash character varying NOT NULL,
    import character varying NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_by character varying,
    used_at timestamp with time zone
);


--
-- Name: census_imports; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.census_imports (
    id character varying NOT NULL,
    salt character varying NOT NULL,
    imported_by character varying,
    imported_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    entries bigint NOT NULL
);


--
-- Name: comment_supports; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.comment_supports (
    comment_id character varying NOT NULL,
    account_id character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    entered_by character varying,
    desk character varying DEFAULT ''::character varying NOT NULL
);


--
-- Name: comment_threads; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.comment_threads (
    target_kind character varying NOT NULL,
    target_id character varying NOT NULL,
    version bigint NOT NULL
);


--
-- Name: comment_versions; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.comment_versions (
    comment_id character varying NOT NULL,
    version bigint NOT NULL,
    body character varying NOT NULL,
    edited_at timestamp with time zone NOT NULL,
    edited_by character varying
);


--
-- Name: comments; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.comments (
    id character varying NOT NULL,
    target_kind character varying NOT NULL,
    target_id character varying NOT NULL,
    parent_id character varying,
    depth bigint NOT NULL,
    author_id character varying,
    remote_actor character varying,
    remote_name character varying NOT NULL,
    remote_url character varying NOT NULL,
    ap_id character varying,
    entered_by character varying,
    desk character varying NOT NULL,
    body character varying NOT NULL,
    body_html character varying NOT NULL,
    alignment character varying NOT NULL,
    support_count bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    edited_at timestamp with time zone,
    deleted_at timestamp with time zone,
    hidden_at timestamp with time zone,
    hidden_reason character varying NOT NULL
);


--
-- Name: debates; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.debates (
    id character varying NOT NULL,
    space_id character varying NOT NULL,
    author_id character varying NOT NULL,
    question character varying NOT NULL,
    description character varying NOT NULL,
    description_html character varying NOT NULL,
    state character varying NOT NULL,
    conclusion character varying NOT NULL,
    conclusion_html character varying NOT NULL,
    comment_count bigint NOT NULL,
    entered_by character varying,
    desk character varying DEFAULT ''::character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    edited_at timestamp with time zone,
    closed_at timestamp with time zone,
    hidden_at timestamp with time zone,
    hidden_reason character varying NOT NULL
);


--
-- Name: letter_codes; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.letter_codes (
    code_hash character varying NOT NULL,
    batch character varying NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    used_by character varying
);


--
-- Name: moderation_log; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.moderation_log (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    moderator_id character varying,
    action character varying NOT NULL,
    target_kind character varying NOT NULL,
    target_id character varying NOT NULL,
    space_id character varying NOT NULL,
    reason character varying NOT NULL,
    details character varying NOT NULL
);


--
-- Name: moderation_log_id_seq; Type: SEQUENCE; Schema: agora_9672f58; Owner: -
--

CREATE SEQUENCE agora_9672f58.moderation_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: moderation_log_id_seq; Type: SEQUENCE OWNED BY; Schema: agora_9672f58; Owner: -
--

ALTER SEQUENCE agora_9672f58.moderation_log_id_seq OWNED BY agora_9672f58.moderation_log.id;


--
-- Name: node_settings; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.node_settings (
    key character varying NOT NULL,
    value character varying NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: one_time_codes; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.one_time_codes (
    code_hash character varying NOT NULL,
    kind character varying NOT NULL,
    account_id character varying NOT NULL,
    created_by character varying,
    created_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone
);


--
-- Name: outbox_events; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.outbox_events (
    id bigint NOT NULL,
    at timestamp with time zone NOT NULL,
    kind character varying NOT NULL,
    object_type character varying NOT NULL,
    object_id character varying NOT NULL,
    actor_id character varying
);


--
-- Name: outbox_events_id_seq; Type: SEQUENCE; Schema: agora_9672f58; Owner: -
--

CREATE SEQUENCE agora_9672f58.outbox_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: outbox_events_id_seq; Type: SEQUENCE OWNED BY; Schema: agora_9672f58; Owner: -
--

ALTER SEQUENCE agora_9672f58.outbox_events_id_seq OWNED BY agora_9672f58.outbox_events.id;


--
-- Name: passkeys; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.passkeys (
    id bytea NOT NULL,
    account_id character varying NOT NULL,
    name character varying NOT NULL,
    public_key bytea NOT NULL,
    attestation_type character varying NOT NULL,
    aaguid bytea,
    sign_count bigint NOT NULL,
    transports character varying NOT NULL,
    flags bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_used_at timestamp with time zone
);


--
-- Name: proposal_attachments; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.proposal_attachments (
    proposal_id character varying NOT NULL,
    "position" bigint NOT NULL,
    blob_key character varying NOT NULL,
    name character varying NOT NULL,
    content_type character varying NOT NULL,
    size bigint NOT NULL
);


--
-- Name: proposal_events; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.proposal_events (
    id bigint NOT NULL,
    proposal_id character varying NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_id character varying,
    kind character varying NOT NULL,
    from_state character varying NOT NULL,
    to_state character varying NOT NULL,
    answer character varying NOT NULL,
    answer_html character varying NOT NULL,
    service character varying NOT NULL,
    reason character varying NOT NULL
);


--
-- Name: proposal_events_id_seq; Type: SEQUENCE; Schema: agora_9672f58; Owner: -
--

CREATE SEQUENCE agora_9672f58.proposal_events_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: proposal_events_id_seq; Type: SEQUENCE OWNED BY; Schema: agora_9672f58; Owner: -
--

ALTER SEQUENCE agora_9672f58.proposal_events_id_seq OWNED BY agora_9672f58.proposal_events.id;


--
-- Name: proposal_supports; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.proposal_supports (
    proposal_id character varying NOT NULL,
    account_id character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    entered_by character varying,
    desk character varying NOT NULL
);


--
-- Name: proposals; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.proposals (
    id character varying NOT NULL,
    space_id character varying NOT NULL,
    author_id character varying NOT NULL,
    entered_by character varying,
    desk character varying NOT NULL,
    title character varying NOT NULL,
    body character varying NOT NULL,
    body_html character varying NOT NULL,
    category character varying NOT NULL,
    address character varying NOT NULL,
    lat double precision,
    lon double precision,
    state character varying NOT NULL,
    support_count bigint NOT NULL,
    comment_count bigint NOT NULL,
    rand_key bigint NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    edited_at timestamp with time zone,
    hidden_at timestamp with time zone,
    hidden_reason character varying NOT NULL,
    merged_into character varying,
    search tsvector GENERATED ALWAYS AS ((((setweight(to_tsvector('french'::regconfig, translate((title)::text, 'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŒœÆæ'::text, 'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyyOoAa'::text)), 'A'::"char") || setweight(to_tsvector('english'::regconfig, translate((title)::text, 'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŒœÆæ'::text, 'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyyOoAa'::text)), 'A'::"char")) || to_tsvector('french'::regconfig, translate((body)::text, 'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŒœÆæ'::text, 'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyyOoAa'::text))) || to_tsvector('english'::regconfig, translate((body)::text, 'ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖòóôõöÙÚÛÜùúûüÝýÿŒœÆæ'::text, 'AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOoooooUUUUuuuuYyyOoAa'::text)))) STORED
);


--
-- Name: rate_limits; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.rate_limits (
    key character varying NOT NULL,
    window_start timestamp with time zone NOT NULL,
    count bigint NOT NULL
);


--
-- Name: recovery_codes; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.recovery_codes (
    account_id character varying NOT NULL,
    code_hash character varying NOT NULL,
    used_at timestamp with time zone
);


--
-- Name: reports; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.reports (
    id character varying NOT NULL,
    target_kind character varying NOT NULL,
    target_id character varying NOT NULL,
    reporter_id character varying,
    remote_actor character varying,
    reason character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    resolved_at timestamp with time zone,
    resolution character varying NOT NULL
);


--
-- Name: residencies; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.residencies (
    account_id character varying NOT NULL,
    method character varying NOT NULL,
    document character varying NOT NULL,
    verifier_id character varying,
    verified_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone,
    revoked_reason character varying NOT NULL
);


--
-- Name: river_job; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.river_job (
    id bigint NOT NULL,
    state agora_9672f58.river_job_state DEFAULT 'available'::agora_9672f58.river_job_state NOT NULL,
    attempt smallint DEFAULT 0 NOT NULL,
    max_attempts smallint DEFAULT 25 NOT NULL,
    attempted_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    finalized_at timestamp with time zone,
    scheduled_at timestamp with time zone DEFAULT now() NOT NULL,
    priority smallint DEFAULT 1 NOT NULL,
    args jsonb NOT NULL,
    attempted_by text[],
    errors jsonb[],
    kind text NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    queue text DEFAULT 'default'::text NOT NULL,
    tags character varying(255)[] DEFAULT '{}'::character varying[] NOT NULL,
    unique_key bytea,
    unique_states bit(8),
    CONSTRAINT finalized_or_finalized_at_null CHECK ((((finalized_at IS NULL) AND (state <> ALL (ARRAY['cancelled'::agora_9672f58.river_job_state, 'completed'::agora_9672f58.river_job_state, 'discarded'::agora_9672f58.river_job_state]))) OR ((finalized_at IS NOT NULL) AND (state = ANY (ARRAY['cancelled'::agora_9672f58.river_job_state, 'completed'::agora_9672f58.river_job_state, 'discarded'::agora_9672f58.river_job_state]))))),
    CONSTRAINT kind_length CHECK (((char_length(kind) > 0) AND (char_length(kind) < 128))),
    CONSTRAINT max_attempts_is_positive CHECK ((max_attempts > 0)),
    CONSTRAINT priority_in_range CHECK (((priority >= 1) AND (priority <= 4))),
    CONSTRAINT queue_length CHECK (((char_length(queue) > 0) AND (char_length(queue) < 128)))
);


--
-- Name: river_job_id_seq; Type: SEQUENCE; Schema: agora_9672f58; Owner: -
--

CREATE SEQUENCE agora_9672f58.river_job_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: river_job_id_seq; Type: SEQUENCE OWNED BY; Schema: agora_9672f58; Owner: -
--

ALTER SEQUENCE agora_9672f58.river_job_id_seq OWNED BY agora_9672f58.river_job.id;


--
-- Name: river_leader; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE UNLOGGED TABLE agora_9672f58.river_leader (
    elected_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    leader_id text NOT NULL,
    name text DEFAULT 'default'::text NOT NULL,
    CONSTRAINT leader_id_length CHECK (((char_length(leader_id) > 0) AND (char_length(leader_id) < 128))),
    CONSTRAINT name_length CHECK ((name = 'default'::text))
);


--
-- Name: river_migration; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.river_migration (
    line text NOT NULL,
    version bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT line_length CHECK (((char_length(line) > 0) AND (char_length(line) < 128))),
    CONSTRAINT version_gte_1 CHECK ((version >= 1))
);


--
-- Name: river_notification; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.river_notification (
    id bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    payload text NOT NULL,
    topic text NOT NULL,
    CONSTRAINT topic_length CHECK (((length(topic) > 0) AND (length(topic) < 128)))
);


--
-- Name: river_notification_id_seq; Type: SEQUENCE; Schema: agora_9672f58; Owner: -
--

CREATE SEQUENCE agora_9672f58.river_notification_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: river_notification_id_seq; Type: SEQUENCE OWNED BY; Schema: agora_9672f58; Owner: -
--

ALTER SEQUENCE agora_9672f58.river_notification_id_seq OWNED BY agora_9672f58.river_notification.id;


--
-- Name: river_queue; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.river_queue (
    name text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    paused_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL
);


--
-- Name: sessions; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.sessions (
    token_hash character varying NOT NULL,
    account_id character varying NOT NULL,
    created_at timestamp with time zone NOT NULL,
    last_seen_at timestamp with time zone NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    device character varying NOT NULL,
    via character varying NOT NULL
);


--
-- Name: space_categories; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.space_categories (
    space_id character varying NOT NULL,
    slug character varying NOT NULL,
    name_fr character varying NOT NULL,
    name_en character varying NOT NULL,
    "position" bigint NOT NULL
);


--
-- Name: space_phases; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.space_phases (
    space_id character varying NOT NULL,
    "position" bigint NOT NULL,
    kind character varying NOT NULL,
    name character varying NOT NULL,
    starts_at timestamp with time zone NOT NULL,
    ends_at timestamp with time zone NOT NULL
);


--
-- Name: spaces; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.spaces (
    id character varying NOT NULL,
    slug character varying NOT NULL,
    title character varying NOT NULL,
    description character varying NOT NULL,
    kind character varying NOT NULL,
    title_max bigint NOT NULL,
    body_max bigint NOT NULL,
    support_threshold bigint NOT NULL,
    unverified_may_propose boolean NOT NULL,
    created_at timestamp with time zone NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    created_by character varying
);


--
-- Name: webauthn_challenges; Type: TABLE; Schema: agora_9672f58; Owner: -
--

CREATE TABLE agora_9672f58.webauthn_challenges (
    id character varying NOT NULL,
    browser_hash character varying NOT NULL,
    kind character varying NOT NULL,
    account_id character varying,
    data character varying NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: agora_migration_locks id; Type: DEFAULT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.agora_migration_locks ALTER COLUMN id SET DEFAULT nextval('agora_9672f58.agora_migration_locks_id_seq'::regclass);


--
-- Name: agora_migrations id; Type: DEFAULT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.agora_migrations ALTER COLUMN id SET DEFAULT nextval('agora_9672f58.agora_migrations_id_seq'::regclass);


--
-- Name: audit_log id; Type: DEFAULT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.audit_log ALTER COLUMN id SET DEFAULT nextval('agora_9672f58.audit_log_id_seq'::regclass);


--
-- Name: moderation_log id; Type: DEFAULT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.moderation_log ALTER COLUMN id SET DEFAULT nextval('agora_9672f58.moderation_log_id_seq'::regclass);


--
-- Name: outbox_events id; Type: DEFAULT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.outbox_events ALTER COLUMN id SET DEFAULT nextval('agora_9672f58.outbox_events_id_seq'::regclass);


--
-- Name: proposal_events id; Type: DEFAULT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposal_events ALTER COLUMN id SET DEFAULT nextval('agora_9672f58.proposal_events_id_seq'::regclass);


--
-- Name: river_job id; Type: DEFAULT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.river_job ALTER COLUMN id SET DEFAULT nextval('agora_9672f58.river_job_id_seq'::regclass);


--
-- Name: river_notification id; Type: DEFAULT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.river_notification ALTER COLUMN id SET DEFAULT nextval('agora_9672f58.river_notification_id_seq'::regclass);


--
-- Data for Name: account_roles; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.account_roles (account_id, role, service, granted_at) FROM stdin;
wzbcmgl4j7mh4fsisk2fclbjve	admin		2026-12-07 11:17:56.613336+00
wzbcmgl4j7mh4fsisk2fclbjve	moderator		2026-12-07 11:17:56.620428+00
4z6kjov2udffd4e6cz3ugmkcba	official	Direction de la voirie et des déplacements	2026-12-07 11:17:56.640254+00
ko3kjcand3z6u2x5hmjosxzkuu	official	Direction des espaces verts et de l’environnement	2026-12-07 11:17:56.65516+00
7iz35472ibfjcvpeyytoovpa34	agent		2026-12-07 11:17:56.672721+00
\.


--
-- Data for Name: accounts; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.accounts (id, handle, display_name, language, public, webauthn_id, created_at, created_by, deletion_requested_at, deleted_at) FROM stdin;
wzbcmgl4j7mh4fsisk2fclbjve	demo_admin	Administration (démo)	fr	f	\\x729e6922b63205e07bd11af49541548148bf1743cdf3eb4ac7ef1b265401c796	2026-12-07 11:17:56.602255+00		\N	\N
4z6kjov2udffd4e6cz3ugmkcba	voirie	Service de la voirie	fr	f	\\x089269a51bd0838dc2ac76e2aba09a522847ade441a8d240fab3bd03adbe6851	2026-12-07 11:17:56.639111+00		\N	\N
ko3kjcand3z6u2x5hmjosxzkuu	espaces_verts	Service des espaces verts	fr	f	\\xeb0b7102fe56bb0105fcc7729d3ba61cbf6be8e9337f0cb28d51a7b9398c62d2	2026-12-07 11:17:56.652739+00		\N	\N
7iz35472ibfjcvpeyytoovpa34	guichet_vaugirard	Agent d’accueil, mairie	fr	f	\\xfd783178c0535b7fca8a79532512b5e731883770df1d50ac44f66dd6aee4a853	2026-12-07 11:17:56.670864+00		\N	\N
djh4jkufsp3xrqmle2nac6w5pe	camille	Camille D.	fr	f	\\x7a45928629a5d70cce5a914e7101ae260bfad97892a023f6935a726232a6b516	2026-12-07 11:17:56.689885+00		\N	\N
f62c264wabwlx6fv55z2i7svju	youssef	Youssef B.	fr	f	\\xa3214491a60ca7bf3614beb586fc0f6041e00bf1ac3e9e4dabf11c03096e968a	2026-12-07 11:17:56.704294+00		\N	\N
frawyj5paxx2abggogpqdn6f7i	marie_claire	Marie-Claire L.	fr	f	\\x00005e96a0b9a1d83d3e87da60baaf28e7045803824d8ba990b1acc1b476bec1	2026-12-07 11:17:56.714907+00		\N	\N
bt3ijnsyj3kbqungynoiyeaa7e	thanh	Thanh N.	fr	f	\\x7bfb23fbfab38deeacbd1b96da6d6148001afc3e2392573d4ffd7f82d80f471d	2026-12-07 11:17:56.72899+00		\N	\N
stqtmmvf7e4hsyduomnljlnlzq	ines	Inès R.	fr	f	\\xda14e8914ed3eba8d0da2bb2e53cad54a9fabe384ba30dd579fbfdf7c672c189	2026-12-07 11:17:56.741756+00		\N	\N
imevnulrrgw743le6lzwqvevd4	bernard	Bernard G.	fr	f	\\x6a764db6bb1c194193a6ce7bb95981e5f9fcf89be023b192381376130e48de6c	2026-12-07 11:17:56.754722+00		\N	\N
i4gz5ii2s4vg7psjicryx6eyfe	lea	Léa M.	fr	f	\\x1496bdeb3fc4b06427c8ed2e679e7a829d6b098afd48699cd89a5ca1ebefeb9d	2026-12-07 11:17:56.770922+00		\N	\N
c73pb25efyuimwmkzmpbkf5jwq	jules	Jules P.	fr	f	\\x0d55b36fb09e906ced585887b7f3dfdeb56e2ce067f0ab903587b759bacaa747	2026-12-07 11:17:56.774548+00		\N	\N
\.


--
-- Data for Name: agora_migration_locks; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.agora_migration_locks (id, table_name) FROM stdin;
\.


--
-- Data for Name: agora_migrations; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.agora_migrations (id, name, group_id, migrated_at) FROM stdin;
1	20261124000001	1	2026-12-07 11:17:55.062174+00
2	20261124000002	1	2026-12-07 11:17:55.394393+00
3	20261124000003	1	2026-12-07 11:17:55.830399+00
4	20261124000004	1	2026-12-07 11:17:55.852549+00
5	20261124000005	1	2026-12-07 11:17:56.058444+00
6	20261124000006	1	2026-12-07 11:17:56.330417+00
7	20261124000007	1	2026-12-07 11:17:56.554814+00
8	20261124000008	1	2026-12-07 11:17:56.574416+00
\.


--
-- Data for Name: ap_domain_blocks; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_domain_blocks (host, severity, reason, created_at, created_by) FROM stdin;
\.


--
-- Data for Name: ap_followers; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_followers (actor, follower, inbox, follow_id, created_at) FROM stdin;
\.


--
-- Data for Name: ap_following; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_following (remote, follow_id, state, created_at, accepted_at, created_by) FROM stdin;
\.


--
-- Data for Name: ap_keys; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_keys (owner, private_pem, public_pem, created_at) FROM stdin;
\.


--
-- Data for Name: ap_peers; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_peers (host, last_success_at, last_failure_at, first_failure_at, failures, unreachable_since, last_error) FROM stdin;
\.


--
-- Data for Name: ap_published; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_published (object_type, object_id, group_actor, author_actor) FROM stdin;
\.


--
-- Data for Name: ap_reactions; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_reactions (activity_id, actor, kind, object_type, object_id, created_at) FROM stdin;
\.


--
-- Data for Name: ap_received; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_received (activity_id, actor, type, body, received_at, processed_at, outcome) FROM stdin;
\.


--
-- Data for Name: ap_remote_actors; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_remote_actors (id, type, host, inbox, shared_inbox, key_id, public_key_pem, preferred_username, name, url, summary, fetched_at) FROM stdin;
\.


--
-- Data for Name: ap_remote_objects; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_remote_objects (id, type, group_actor, attributed_to, author_name, name, content_html, url, in_reply_to, context, state, supports, published, updated, deleted_at, received_at) FROM stdin;
\.


--
-- Data for Name: ap_sent_adoptions; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.ap_sent_adoptions (adoption_id, app_id, target, inbox, sent_at) FROM stdin;
\.


--
-- Data for Name: app_adoptions; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.app_adoptions (id, app_id, adopter_key, name, actor, version, contact, since, remote_id, created_by, created_at, updated_at) FROM stdin;
\.


--
-- Data for Name: app_artifacts; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.app_artifacts (id, release_id, "position", name, blob_key, sha256, size, media_type, created_at) FROM stdin;
\.


--
-- Data for Name: app_media; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.app_media (id, app_id, kind, "position", blob_key, sha256, size, media_type, created_at) FROM stdin;
\.


--
-- Data for Name: app_releases; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.app_releases (id, app_id, version, released_on, changelog, created_by, created_at, remote_id) FROM stdin;
\.


--
-- Data for Name: app_tags; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.app_tags (app_id, kind, value) FROM stdin;
z24vfbsrsdstxvxm4ewqoii42u	category	digital-citizenship
z24vfbsrsdstxvxm4ewqoii42u	category	survey
z24vfbsrsdstxvxm4ewqoii42u	category	online-community
z24vfbsrsdstxvxm4ewqoii42u	platform	web
z24vfbsrsdstxvxm4ewqoii42u	platform	android
z24vfbsrsdstxvxm4ewqoii42u	license	agpl-3.0-or-later
z24vfbsrsdstxvxm4ewqoii42u	language	fr
z24vfbsrsdstxvxm4ewqoii42u	language	en
z24vfbsrsdstxvxm4ewqoii42u	language	fr-be
\.


--
-- Data for Name: apps; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.apps (id, slug, name, url, publiccode_yml, publiccode_version, landing_url, software_version, release_date, categories, platforms, development_status, software_type, license, osi_approved, languages, short_descriptions, search_text, review_state, check_osi_licence, check_source_reachable, check_maintenance_declared, check_accessibility, check_french_documentation, reviewed_by, reviewed_at, certified_by, certified_at, created_by, created_at, updated_at, deprecated_at, deleted_at, origin_actor, origin_node, remote_id, remote_url) FROM stdin;
z24vfbsrsdstxvxm4ewqoii42u	agora	Agora	https://git.example.org/agora/agora.git	# publiccode.yml of Agora itself: the full example the tests read.\npubliccodeYmlVersion: "0.4"\n\nname: Agora\napplicationSuite: Agora\nurl: "https://git.example.org/agora/agora.git"\nlandingURL: "https://agora.example.org"\nisBasedOn: "https://git.example.org/agora/upstream.git"\norganizationUri: "https://www.paris.fr"\nsoftwareVersion: 1.2.0\nreleaseDate: 2026-11-02\nlogo: docs/logo.png\nroadmap: "https://agora.example.org/feuille-de-route"\n\nplatforms:\n  - web\n  - android\n\ncategories:\n  - digital-citizenship\n  - survey\n  - online-community\n\nusedBy:\n  - Mairie du 11e arrondissement\n\ndevelopmentStatus: stable\nsoftwareType: standalone/web\n\nintendedAudience:\n  countries:\n    - fr\n  scope:\n    - government\n\ndescription:\n  fr:\n    localisedName: Agora\n    genericName: Participation citoyenne\n    shortDescription: >-\n      Plateforme de participation citoyenne pour les communes : propositions,\n      débats, votes et budget participatif.\n    longDescription: >\n      Agora est une plateforme municipale de participation citoyenne que chaque\n      commune ou arrondissement héberge lui-même. Les habitants y déposent des\n      propositions, les soutiennent, débattent et votent ; les services de la\n      ville y répondent publiquement. Les instances fédèrent entre elles par\n      ActivityPub, si bien qu'un débat se suit aussi depuis Mastodon. Chaque\n      démarche garde une voie non numérique, au guichet de la mairie.\n    documentation: "https://agora.example.org/documentation"\n    apiDocumentation: "https://agora.example.org/documentation/api"\n    features:\n      - Propositions et soutiens des habitants vérifiés\n      - Débats et commentaires modérés publiquement\n      - Budget participatif et votes\n      - Saisie au guichet pour les habitants sans équipement\n      - Catalogue fédéré de logiciels libres municipaux\n    screenshots:\n      - docs/captures/accueil.png\n    videos:\n      - "https://video.example.org/w/agora"\n    awards:\n      - Prix de l'innovation démocratique 2026\n  en:\n    shortDescription: Civic participation platform for municipalities.\n    longDescription: |\n      Agora is a self-hostable civic participation platform for cities and\n      districts. Residents propose, support, debate and vote; city services\n      answer in public. Nodes federate over ActivityPub, so a debate can be\n      followed from Mastodon and cities share their free software.\n    features:\n      - Proposals and supports from verified residents\n      - Public debates\n\nlegal:\n  license: AGPL-3.0-or-later\n  mainCopyrightOwner: Ville de Paris\n  repoOwner: Ville de Paris\n\nmaintenance:\n  type: internal\n  contacts:\n    - name: Camille Martin\n      email: "camille.martin@example.org"\n      phone: "+33 1 23 45 67 89"\n      affiliation: Ville de Paris\n\nlocalisation:\n  localisationReady: true\n  availableLanguages:\n    - fr\n    - en\n    - fr-BE\n\ndependsOn:\n  open:\n    - name: PostgreSQL\n      versionMin: "14"\n      optional: true\n\nit:\n  countryExtensionVersion: "1.0"\n  riuso:\n    codiceIPA: c_h501\n	0.4	https://agora.example.org	1.2.0	2026-11-02	["digital-citizenship","survey","online-community"]	["web","android"]	stable	standalone/web	AGPL-3.0-or-later	t	["fr","en","fr-BE"]	{"en":"Civic participation platform for municipalities.","fr":"Plateforme de participation citoyenne pour les communes : propositions, débats, votes et budget participatif."}	agora\n\ncivic participation platform for municipalities.\nagora is a self-hostable civic participation platform for cities and\ndistricts. residents propose, support, debate and vote; city services\nanswer in public. nodes federate over activitypub, so a debate can be\nfollowed from mastodon and cities share their free software.\nproposals and supports from verified residents\npublic debates\nagora\nplateforme de participation citoyenne pour les communes : propositions, debats, votes et budget participatif.\nagora est une plateforme municipale de participation citoyenne que chaque commune ou arrondissement heberge lui-meme. les habitants y deposent des propositions, les soutiennent, debattent et votent ; les services de la ville y repondent publiquement. les instances federent entre elles par activitypub, si bien qu'un debat se suit aussi depuis mastodon. chaque demarche garde une voie non numerique, au guichet de la mairie.\npropositions et soutiens des habitants verifies\ndebats et commentaires moderes publiquement\nbudget participatif et votes\nsaisie au guichet pour les habitants sans equipement\ncatalogue federe de logiciels libres municipaux	submitted	f	f	f	f	f	\N	\N	\N	\N	\N	2026-12-07 11:17:57.827077+00	2026-12-07 11:17:57.827077+00	\N	\N	\N	\N	\N	\N
\.


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.audit_log (id, at, actor_id, action, subject_id, on_behalf_of, desk, details, reason) FROM stdin;
1	2026-12-07 11:17:56.607011+00		account.create	wzbcmgl4j7mh4fsisk2fclbjve			opened by the node	
2	2026-12-07 11:17:56.616219+00		role.grant	wzbcmgl4j7mh4fsisk2fclbjve			role=admin	at creation
3	2026-12-07 11:17:56.620895+00		role.grant	wzbcmgl4j7mh4fsisk2fclbjve			role=moderator	at creation
4	2026-12-07 11:17:56.628891+00		residency.verify	wzbcmgl4j7mh4fsisk2fclbjve			method=operator	
5	2026-12-07 11:17:56.639649+00		account.create	4z6kjov2udffd4e6cz3ugmkcba			opened by the node	
6	2026-12-07 11:17:56.640789+00		role.grant	4z6kjov2udffd4e6cz3ugmkcba			role=official service=Direction de la voirie et des déplacements	at creation
7	2026-12-07 11:17:56.648355+00		residency.verify	4z6kjov2udffd4e6cz3ugmkcba			method=operator	
8	2026-12-07 11:17:56.654307+00		account.create	ko3kjcand3z6u2x5hmjosxzkuu			opened by the node	
9	2026-12-07 11:17:56.658445+00		role.grant	ko3kjcand3z6u2x5hmjosxzkuu			role=official service=Direction des espaces verts et de l’environnement	at creation
10	2026-12-07 11:17:56.667461+00		residency.verify	ko3kjcand3z6u2x5hmjosxzkuu			method=operator	
11	2026-12-07 11:17:56.671753+00		account.create	7iz35472ibfjcvpeyytoovpa34			opened by the node	
12	2026-12-07 11:17:56.673529+00		role.grant	7iz35472ibfjcvpeyytoovpa34			role=agent	at creation
13	2026-12-07 11:17:56.684631+00		residency.verify	7iz35472ibfjcvpeyytoovpa34			method=operator	
14	2026-12-07 11:17:56.691238+00		account.create	djh4jkufsp3xrqmle2nac6w5pe			opened by the node	
15	2026-12-07 11:17:56.700263+00		residency.verify	djh4jkufsp3xrqmle2nac6w5pe			method=operator	
16	2026-12-07 11:17:56.705562+00		account.create	f62c264wabwlx6fv55z2i7svju			opened by the node	
17	2026-12-07 11:17:56.712964+00		residency.verify	f62c264wabwlx6fv55z2i7svju			method=operator	
18	2026-12-07 11:17:56.715345+00		account.create	frawyj5paxx2abggogpqdn6f7i			opened by the node	
19	2026-12-07 11:17:56.725807+00		residency.verify	frawyj5paxx2abggogpqdn6f7i			method=operator	
20	2026-12-07 11:17:56.72989+00		account.create	bt3ijnsyj3kbqungynoiyeaa7e			opened by the node	
21	2026-12-07 11:17:56.738371+00		residency.verify	bt3ijnsyj3kbqungynoiyeaa7e			method=operator	
22	2026-12-07 11:17:56.742573+00		account.create	stqtmmvf7e4hsyduomnljlnlzq			opened by the node	
23	2026-12-07 11:17:56.750338+00		residency.verify	stqtmmvf7e4hsyduomnljlnlzq			method=operator	
24	2026-12-07 11:17:56.755185+00		account.create	imevnulrrgw743le6lzwqvevd4			opened by the node	
25	2026-12-07 11:17:56.764035+00		residency.verify	imevnulrrgw743le6lzwqvevd4			method=operator	
26	2026-12-07 11:17:56.771482+00		account.create	i4gz5ii2s4vg7psjicryx6eyfe			opened by the node	
27	2026-12-07 11:17:56.775296+00		account.create	c73pb25efyuimwmkzmpbkf5jwq			opened by the node	
\.


--
-- Data for Name: census_entries; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.census_entries (hash, import, expires_at, used_by, used_at) FROM stdin;
\.


--
-- Data for Name: census_imports; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.census_imports (id, salt, imported_by, imported_at, expires_at, entries) FROM stdin;
\.


--
-- Data for Name: comment_supports; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.comment_supports (comment_id, account_id, created_at, entered_by, desk) FROM stdin;
\.


--
-- Data for Name: comment_threads; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.comment_threads (target_kind, target_id, version) FROM stdin;
proposal	k6wghrnebc3embmlpirfwubrp4	2
proposal	hzpethxw62p4tfxpcs3uo7gvdi	1
proposal	b7izlchqa3g7b5uarz4cpwi5pe	1
debate	smrmbqh3nxjow7t4vely5zhq5y	3
\.


--
-- Data for Name: comment_versions; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.comment_versions (comment_id, version, body, edited_at, edited_by) FROM stdin;
\.


--
-- Data for Name: comments; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.comments (id, target_kind, target_id, parent_id, depth, author_id, remote_actor, remote_name, remote_url, ap_id, entered_by, desk, body, body_html, alignment, support_count, created_at, edited_at, deleted_at, hidden_at, hidden_reason) FROM stdin;
5kdtumdfvr5klwmgbzdh4whkea	proposal	k6wghrnebc3embmlpirfwubrp4	\N	0	stqtmmvf7e4hsyduomnljlnlzq	\N			\N	\N		Excellente idée, l’été la rue est une fournaise.	<p>Excellente idée, l’été la rue est une fournaise.</p>		0	2026-12-07 11:17:56.922185+00	\N	\N	\N	
kul3dtsqe2jngchh6dnfdn46aa	proposal	k6wghrnebc3embmlpirfwubrp4	5kdtumdfvr5klwmgbzdh4whkea	1	imevnulrrgw743le6lzwqvevd4	\N			\N	\N		Attention aux places de livraison devant les commerces.	<p>Attention aux places de livraison devant les commerces.</p>		0	2026-12-07 11:17:56.947727+00	\N	\N	\N	
emh4aldke3h6k3hpdsmdryb3zu	proposal	hzpethxw62p4tfxpcs3uo7gvdi	\N	0	stqtmmvf7e4hsyduomnljlnlzq	\N			\N	\N		Le square Violet en a déjà une, mais elle est souvent vide !	<p>Le square Violet en a déjà une, mais elle est souvent vide !</p>		0	2026-12-07 11:17:57.172908+00	\N	\N	\N	
tk7e2qlbhbv627h4ffrnq4lyfy	proposal	b7izlchqa3g7b5uarz4cpwi5pe	\N	0	stqtmmvf7e4hsyduomnljlnlzq	\N			\N	\N		Même constat rue Cambronne.	<p>Même constat rue Cambronne.</p>		0	2026-12-07 11:17:57.417672+00	\N	\N	\N	
zeiqwlob2dj5lcfgnlhrsilpuu	debate	smrmbqh3nxjow7t4vely5zhq5y	\N	0	djh4jkufsp3xrqmle2nac6w5pe	\N			\N	\N		Oui : le dimanche matin, les trottoirs sont trop étroits pour le marché et les poussettes.	<p>Oui : le dimanche matin, les trottoirs sont trop étroits pour le marché et les poussettes.</p>	for	0	2026-12-07 11:17:57.473875+00	\N	\N	\N	
5lc24zbgqdsalgwdtegl4nsbm4	debate	smrmbqh3nxjow7t4vely5zhq5y	\N	0	imevnulrrgw743le6lzwqvevd4	\N			\N	\N		Non : les livraisons du dimanche matin deviendraient impossibles pour les petits commerces.	<p>Non : les livraisons du dimanche matin deviendraient impossibles pour les petits commerces.</p>	against	0	2026-12-07 11:17:57.480712+00	\N	\N	\N	
ml4qcwkf5r5ffdrn3uhx4dcwlu	debate	smrmbqh3nxjow7t4vely5zhq5y	\N	0	bt3ijnsyj3kbqungynoiyeaa7e	\N			\N	\N		Un essai de trois mois permettrait de mesurer l’effet avant de décider.	<p>Un essai de trois mois permettrait de mesurer l’effet avant de décider.</p>	neutral	0	2026-12-07 11:17:57.485709+00	\N	\N	\N	
\.


--
-- Data for Name: debates; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.debates (id, space_id, author_id, question, description, description_html, state, conclusion, conclusion_html, comment_count, entered_by, desk, created_at, edited_at, closed_at, hidden_at, hidden_reason) FROM stdin;
smrmbqh3nxjow7t4vely5zhq5y	u37wcxcpxx7u7kz7ufmhfjbcce	frawyj5paxx2abggogpqdn6f7i	Faut-il rendre la rue du Commerce piétonne le dimanche ?	Les commerçants sont partagés, les familles plutôt favorables. Le conseil de quartier rendra un avis à la mairie après ce débat.	<p>Les commerçants sont partagés, les familles plutôt favorables. Le conseil de quartier rendra un avis à la mairie après ce débat.</p>	open			3	\N		2026-12-07 11:17:57.453068+00	\N	\N	\N	
\.


--
-- Data for Name: letter_codes; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.letter_codes (code_hash, batch, expires_at, used_at, used_by) FROM stdin;
\.


--
-- Data for Name: moderation_log; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.moderation_log (id, at, moderator_id, action, target_kind, target_id, space_id, reason, details) FROM stdin;
\.


--
-- Data for Name: node_settings; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.node_settings (key, value, updated_at) FROM stdin;
created_at	2026-12-07T11:17:55Z	2026-12-07 11:17:55.055463+00
\.


--
-- Data for Name: one_time_codes; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.one_time_codes (code_hash, kind, account_id, created_by, created_at, expires_at, used_at) FROM stdin;
\.


--
-- Data for Name: outbox_events; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.outbox_events (id, at, kind, object_type, object_id, actor_id) FROM stdin;
1	2026-12-07 11:17:56.803612+00	create	proposal	k6wghrnebc3embmlpirfwubrp4	djh4jkufsp3xrqmle2nac6w5pe
2	2026-12-07 11:17:56.858485+00	update	proposal	k6wghrnebc3embmlpirfwubrp4	f62c264wabwlx6fv55z2i7svju
3	2026-12-07 11:17:56.866252+00	update	proposal	k6wghrnebc3embmlpirfwubrp4	frawyj5paxx2abggogpqdn6f7i
4	2026-12-07 11:17:56.873277+00	update	proposal	k6wghrnebc3embmlpirfwubrp4	bt3ijnsyj3kbqungynoiyeaa7e
5	2026-12-07 11:17:56.882137+00	update	proposal	k6wghrnebc3embmlpirfwubrp4	stqtmmvf7e4hsyduomnljlnlzq
6	2026-12-07 11:17:56.890089+00	update	proposal	k6wghrnebc3embmlpirfwubrp4	imevnulrrgw743le6lzwqvevd4
7	2026-12-07 11:17:56.899682+00	update	proposal	k6wghrnebc3embmlpirfwubrp4	ko3kjcand3z6u2x5hmjosxzkuu
8	2026-12-07 11:17:56.945792+00	create	comment	5kdtumdfvr5klwmgbzdh4whkea	stqtmmvf7e4hsyduomnljlnlzq
9	2026-12-07 11:17:56.955897+00	create	comment	kul3dtsqe2jngchh6dnfdn46aa	imevnulrrgw743le6lzwqvevd4
10	2026-12-07 11:17:56.957987+00	create	proposal	4tpdhj5q3xlx6362ca7nn6z4pi	f62c264wabwlx6fv55z2i7svju
11	2026-12-07 11:17:56.969635+00	update	proposal	4tpdhj5q3xlx6362ca7nn6z4pi	djh4jkufsp3xrqmle2nac6w5pe
12	2026-12-07 11:17:56.974747+00	update	proposal	4tpdhj5q3xlx6362ca7nn6z4pi	bt3ijnsyj3kbqungynoiyeaa7e
13	2026-12-07 11:17:56.983195+00	update	proposal	4tpdhj5q3xlx6362ca7nn6z4pi	4z6kjov2udffd4e6cz3ugmkcba
14	2026-12-07 11:17:56.987293+00	create	proposal	hzpethxw62p4tfxpcs3uo7gvdi	frawyj5paxx2abggogpqdn6f7i
15	2026-12-07 11:17:57.018128+00	update	proposal	hzpethxw62p4tfxpcs3uo7gvdi	djh4jkufsp3xrqmle2nac6w5pe
16	2026-12-07 11:17:57.021398+00	update	proposal	hzpethxw62p4tfxpcs3uo7gvdi	stqtmmvf7e4hsyduomnljlnlzq
17	2026-12-07 11:17:57.033537+00	update	proposal	hzpethxw62p4tfxpcs3uo7gvdi	imevnulrrgw743le6lzwqvevd4
18	2026-12-07 11:17:57.138735+00	update	proposal	hzpethxw62p4tfxpcs3uo7gvdi	f62c264wabwlx6fv55z2i7svju
19	2026-12-07 11:17:57.179892+00	create	comment	emh4aldke3h6k3hpdsmdryb3zu	stqtmmvf7e4hsyduomnljlnlzq
20	2026-12-07 11:17:57.181524+00	create	proposal	p54qzyinkdwyc74rghsrcius54	bt3ijnsyj3kbqungynoiyeaa7e
21	2026-12-07 11:17:57.216033+00	update	proposal	p54qzyinkdwyc74rghsrcius54	djh4jkufsp3xrqmle2nac6w5pe
22	2026-12-07 11:17:57.21835+00	update	proposal	p54qzyinkdwyc74rghsrcius54	f62c264wabwlx6fv55z2i7svju
23	2026-12-07 11:17:57.220561+00	update	proposal	p54qzyinkdwyc74rghsrcius54	frawyj5paxx2abggogpqdn6f7i
24	2026-12-07 11:17:57.222716+00	update	proposal	p54qzyinkdwyc74rghsrcius54	stqtmmvf7e4hsyduomnljlnlzq
25	2026-12-07 11:17:57.22479+00	update	proposal	p54qzyinkdwyc74rghsrcius54	imevnulrrgw743le6lzwqvevd4
26	2026-12-07 11:17:57.22648+00	update	proposal	p54qzyinkdwyc74rghsrcius54	bt3ijnsyj3kbqungynoiyeaa7e
27	2026-12-07 11:17:57.228857+00	update	proposal	p54qzyinkdwyc74rghsrcius54	ko3kjcand3z6u2x5hmjosxzkuu
28	2026-12-07 11:17:57.230595+00	create	proposal	6ppbpmzswzc5zc7hsso6pcg43u	stqtmmvf7e4hsyduomnljlnlzq
29	2026-12-07 11:17:57.235292+00	update	proposal	6ppbpmzswzc5zc7hsso6pcg43u	imevnulrrgw743le6lzwqvevd4
30	2026-12-07 11:17:57.23765+00	update	proposal	6ppbpmzswzc5zc7hsso6pcg43u	4z6kjov2udffd4e6cz3ugmkcba
31	2026-12-07 11:17:57.269783+00	create	proposal	taaleugwsyktdncxgmxx3bfj34	imevnulrrgw743le6lzwqvevd4
32	2026-12-07 11:17:57.283544+00	update	proposal	taaleugwsyktdncxgmxx3bfj34	frawyj5paxx2abggogpqdn6f7i
33	2026-12-07 11:17:57.285081+00	create	proposal	q7h5m6adrdqwwtxgijkbdksm2e	f62c264wabwlx6fv55z2i7svju
34	2026-12-07 11:17:57.3849+00	create	proposal	42rwfq56lv4psknh636rlejvei	djh4jkufsp3xrqmle2nac6w5pe
35	2026-12-07 11:17:57.391494+00	update	proposal	42rwfq56lv4psknh636rlejvei	djh4jkufsp3xrqmle2nac6w5pe
36	2026-12-07 11:17:57.402738+00	create	proposal	b7izlchqa3g7b5uarz4cpwi5pe	i4gz5ii2s4vg7psjicryx6eyfe
37	2026-12-07 11:17:57.42073+00	create	comment	tk7e2qlbhbv627h4ffrnq4lyfy	stqtmmvf7e4hsyduomnljlnlzq
38	2026-12-07 11:17:57.430706+00	create	proposal	wmawxfuesvfoyinxz3ixu2gzuu	imevnulrrgw743le6lzwqvevd4
39	2026-12-07 11:17:57.461718+00	create	debate	smrmbqh3nxjow7t4vely5zhq5y	frawyj5paxx2abggogpqdn6f7i
40	2026-12-07 11:17:57.476502+00	create	comment	zeiqwlob2dj5lcfgnlhrsilpuu	djh4jkufsp3xrqmle2nac6w5pe
41	2026-12-07 11:17:57.482466+00	create	comment	5lc24zbgqdsalgwdtegl4nsbm4	imevnulrrgw743le6lzwqvevd4
42	2026-12-07 11:17:57.487227+00	create	comment	ml4qcwkf5r5ffdrn3uhx4dcwlu	bt3ijnsyj3kbqungynoiyeaa7e
43	2026-12-07 11:17:57.827077+00	create	app	z24vfbsrsdstxvxm4ewqoii42u	\N
\.


--
-- Data for Name: passkeys; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.passkeys (id, account_id, name, public_key, attestation_type, aaguid, sign_count, transports, flags, created_at, last_used_at) FROM stdin;
\.


--
-- Data for Name: proposal_attachments; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.proposal_attachments (proposal_id, "position", blob_key, name, content_type, size) FROM stdin;
\.


--
-- Data for Name: proposal_events; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.proposal_events (id, proposal_id, at, actor_id, kind, from_state, to_state, answer, answer_html, service, reason) FROM stdin;
1	k6wghrnebc3embmlpirfwubrp4	2026-12-07 11:17:56.829917+00	djh4jkufsp3xrqmle2nac6w5pe	published		published				
2	k6wghrnebc3embmlpirfwubrp4	2026-12-07 11:17:56.902028+00	ko3kjcand3z6u2x5hmjosxzkuu	answer	published	accepted	Le projet est faisable : 18 arbres peuvent être plantés sans toucher aux réseaux. Coût estimé : 240 000 €. Il sera soumis au vote.	<p>Le projet est faisable : 18 arbres peuvent être plantés sans toucher aux réseaux. Coût estimé : 240 000 €. Il sera soumis au vote.</p>	Direction des espaces verts et de l’environnement	
3	4tpdhj5q3xlx6362ca7nn6z4pi	2026-12-07 11:17:56.960263+00	f62c264wabwlx6fv55z2i7svju	published		published				
4	4tpdhj5q3xlx6362ca7nn6z4pi	2026-12-07 11:17:56.984447+00	4z6kjov2udffd4e6cz3ugmkcba	answer	published	study	Nous étudions l’emplacement avec la RATP, la sortie de métro limitant l’espace disponible. Réponse définitive en mars.	<p>Nous étudions l’emplacement avec la RATP, la sortie de métro limitant l’espace disponible. Réponse définitive en mars.</p>	Direction de la voirie et des déplacements	
5	hzpethxw62p4tfxpcs3uo7gvdi	2026-12-07 11:17:56.991069+00	frawyj5paxx2abggogpqdn6f7i	published		published				
6	p54qzyinkdwyc74rghsrcius54	2026-12-07 11:17:57.187471+00	bt3ijnsyj3kbqungynoiyeaa7e	published		published				
7	p54qzyinkdwyc74rghsrcius54	2026-12-07 11:17:57.229485+00	ko3kjcand3z6u2x5hmjosxzkuu	answer	published	review	Le projet a franchi le seuil de soutiens. Nos équipes visitent la cour avec la direction de l’école le mois prochain.	<p>Le projet a franchi le seuil de soutiens. Nos équipes visitent la cour avec la direction de l’école le mois prochain.</p>	Direction des espaces verts et de l’environnement	
8	6ppbpmzswzc5zc7hsso6pcg43u	2026-12-07 11:17:57.23192+00	stqtmmvf7e4hsyduomnljlnlzq	published		published				
9	6ppbpmzswzc5zc7hsso6pcg43u	2026-12-07 11:17:57.237995+00	4z6kjov2udffd4e6cz3ugmkcba	answer	published	rejected	Une sanisette est déjà programmée à 150 m, boulevard de Grenelle, dans le plan Propreté 2027 : ce projet n’a donc pas besoin du budget participatif.	<p>Une sanisette est déjà programmée à 150 m, boulevard de Grenelle, dans le plan Propreté 2027 : ce projet n’a donc pas besoin du budget participatif.</p>	Direction de la voirie et des déplacements	
10	taaleugwsyktdncxgmxx3bfj34	2026-12-07 11:17:57.271619+00	imevnulrrgw743le6lzwqvevd4	published		published				
11	q7h5m6adrdqwwtxgijkbdksm2e	2026-12-07 11:17:57.286901+00	f62c264wabwlx6fv55z2i7svju	published		published				
12	42rwfq56lv4psknh636rlejvei	2026-12-07 11:17:57.3875+00	djh4jkufsp3xrqmle2nac6w5pe	published		published				
13	42rwfq56lv4psknh636rlejvei	2026-12-07 11:17:57.393364+00	djh4jkufsp3xrqmle2nac6w5pe	withdrawn	published	withdrawn				
14	b7izlchqa3g7b5uarz4cpwi5pe	2026-12-07 11:17:57.406095+00	i4gz5ii2s4vg7psjicryx6eyfe	published		published				
15	wmawxfuesvfoyinxz3ixu2gzuu	2026-12-07 11:17:57.433119+00	imevnulrrgw743le6lzwqvevd4	published		published				
\.


--
-- Data for Name: proposal_supports; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.proposal_supports (proposal_id, account_id, created_at, entered_by, desk) FROM stdin;
k6wghrnebc3embmlpirfwubrp4	f62c264wabwlx6fv55z2i7svju	2026-12-07 11:17:56.85071+00	\N	
k6wghrnebc3embmlpirfwubrp4	frawyj5paxx2abggogpqdn6f7i	2026-12-07 11:17:56.86298+00	\N	
k6wghrnebc3embmlpirfwubrp4	bt3ijnsyj3kbqungynoiyeaa7e	2026-12-07 11:17:56.871776+00	\N	
k6wghrnebc3embmlpirfwubrp4	stqtmmvf7e4hsyduomnljlnlzq	2026-12-07 11:17:56.87952+00	\N	
k6wghrnebc3embmlpirfwubrp4	imevnulrrgw743le6lzwqvevd4	2026-12-07 11:17:56.886267+00	\N	
4tpdhj5q3xlx6362ca7nn6z4pi	djh4jkufsp3xrqmle2nac6w5pe	2026-12-07 11:17:56.966142+00	\N	
4tpdhj5q3xlx6362ca7nn6z4pi	bt3ijnsyj3kbqungynoiyeaa7e	2026-12-07 11:17:56.973758+00	\N	
hzpethxw62p4tfxpcs3uo7gvdi	djh4jkufsp3xrqmle2nac6w5pe	2026-12-07 11:17:57.01724+00	\N	
hzpethxw62p4tfxpcs3uo7gvdi	stqtmmvf7e4hsyduomnljlnlzq	2026-12-07 11:17:57.020719+00	\N	
hzpethxw62p4tfxpcs3uo7gvdi	imevnulrrgw743le6lzwqvevd4	2026-12-07 11:17:57.030254+00	\N	
hzpethxw62p4tfxpcs3uo7gvdi	f62c264wabwlx6fv55z2i7svju	2026-12-07 11:17:57.118048+00	\N	
p54qzyinkdwyc74rghsrcius54	djh4jkufsp3xrqmle2nac6w5pe	2026-12-07 11:17:57.215308+00	\N	
p54qzyinkdwyc74rghsrcius54	f62c264wabwlx6fv55z2i7svju	2026-12-07 11:17:57.217701+00	\N	
p54qzyinkdwyc74rghsrcius54	frawyj5paxx2abggogpqdn6f7i	2026-12-07 11:17:57.219839+00	\N	
p54qzyinkdwyc74rghsrcius54	stqtmmvf7e4hsyduomnljlnlzq	2026-12-07 11:17:57.221882+00	\N	
p54qzyinkdwyc74rghsrcius54	imevnulrrgw743le6lzwqvevd4	2026-12-07 11:17:57.224197+00	\N	
p54qzyinkdwyc74rghsrcius54	bt3ijnsyj3kbqungynoiyeaa7e	2026-12-07 11:17:57.225904+00	\N	
6ppbpmzswzc5zc7hsso6pcg43u	imevnulrrgw743le6lzwqvevd4	2026-12-07 11:17:57.234519+00	\N	
taaleugwsyktdncxgmxx3bfj34	frawyj5paxx2abggogpqdn6f7i	2026-12-07 11:17:57.282806+00	\N	
\.


--
-- Data for Name: proposals; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.proposals (id, space_id, author_id, entered_by, desk, title, body, body_html, category, address, lat, lon, state, support_count, comment_count, rand_key, created_at, updated_at, edited_at, hidden_at, hidden_reason, merged_into) FROM stdin;
q7h5m6adrdqwwtxgijkbdksm2e	zw6tj4ziyb55nmmqksxvnvafoa	f62c264wabwlx6fv55z2i7svju			Ralentir la circulation devant le collège Guillaume-Apollinaire	Des coussins berlinois et un passage piéton surélevé pour la sécurité des élèves à l’entrée et à la sortie.	<p>Des coussins berlinois et un passage piéton surélevé pour la sécurité des élèves à l’entrée et à la sortie.</p>	mobilite		\N	\N	published	0	0	932011421	2026-12-07 11:17:57.285081+00	2026-12-07 11:17:57.285081+00	\N	\N		
42rwfq56lv4psknh636rlejvei	zw6tj4ziyb55nmmqksxvnvafoa	djh4jkufsp3xrqmle2nac6w5pe			Végétaliser les murs pignons rue Lecourbe	Plusieurs murs aveugles pourraient accueillir des plantes grimpantes, avec l’accord des copropriétés.	<p>Plusieurs murs aveugles pourraient accueillir des plantes grimpantes, avec l’accord des copropriétés.</p>	espaces-verts		\N	\N	withdrawn	0	0	1292728837	2026-12-07 11:17:57.3849+00	2026-12-07 11:17:57.391494+00	\N	\N		
b7izlchqa3g7b5uarz4cpwi5pe	u37wcxcpxx7u7kz7ufmhfjbcce	i4gz5ii2s4vg7psjicryx6eyfe			Quand le dépôt sauvage rue Mademoiselle sera-t-il traité ?	Des encombrants s’accumulent chaque semaine au même endroit. Peut-on prévoir un passage régulier ou une caméra ?	<p>Des encombrants s’accumulent chaque semaine au même endroit. Peut-on prévoir un passage régulier ou une caméra ?</p>	proprete		\N	\N	published	0	1	800123776	2026-12-07 11:17:57.402738+00	2026-12-07 11:17:57.402738+00	\N	\N		
wmawxfuesvfoyinxz3ixu2gzuu	u37wcxcpxx7u7kz7ufmhfjbcce	imevnulrrgw743le6lzwqvevd4			Rétablir l’arrêt de bus Pasteur – Docteur-Roux	Depuis les travaux, l’arrêt est supprimé et les personnes âgées doivent marcher jusqu’à la station suivante.	<p>Depuis les travaux, l’arrêt est supprimé et les personnes âgées doivent marcher jusqu’à la station suivante.</p>	mobilite		\N	\N	published	0	0	1774184559	2026-12-07 11:17:57.430706+00	2026-12-07 11:17:57.430706+00	\N	\N		
k6wghrnebc3embmlpirfwubrp4	zw6tj4ziyb55nmmqksxvnvafoa	djh4jkufsp3xrqmle2nac6w5pe			Planter des arbres rue de Vaugirard	La rue de Vaugirard est très minérale entre la place Adolphe-Chérioux et la porte de Versailles. Je propose d’y planter une vingtaine d’arbres d’alignement, avec des pieds d’arbres végétalisés entretenus par les riverains volontaires.	<p>La rue de Vaugirard est très minérale entre la place Adolphe-Chérioux et la porte de Versailles. Je propose d’y planter une vingtaine d’arbres d’alignement, avec des pieds d’arbres végétalisés entretenus par les riverains volontaires.</p>	espaces-verts	Rue de Vaugirard, entre les n° 280 et 320	\N	\N	accepted	5	2	1391603589	2026-12-07 11:17:56.803612+00	2026-12-07 11:17:56.899682+00	\N	\N		
4tpdhj5q3xlx6362ca7nn6z4pi	zw6tj4ziyb55nmmqksxvnvafoa	f62c264wabwlx6fv55z2i7svju			Des arceaux vélos place Charles-Michels	Il manque de stationnement vélo près du métro. 40 arceaux sur le trottoir nord, côté rue Linois, suffiraient.	<p>Il manque de stationnement vélo près du métro. 40 arceaux sur le trottoir nord, côté rue Linois, suffiraient.</p>	mobilite	Place Charles-Michels	\N	\N	study	2	0	402539211	2026-12-07 11:17:56.957987+00	2026-12-07 11:17:56.983195+00	\N	\N		
hzpethxw62p4tfxpcs3uo7gvdi	zw6tj4ziyb55nmmqksxvnvafoa	frawyj5paxx2abggogpqdn6f7i			Une boîte à livres dans chaque square	Des boîtes à livres dans les squares Saint-Lambert, Violet et Necker, fabriquées par un chantier d’insertion.	<p>Des boîtes à livres dans les squares Saint-Lambert, Violet et Necker, fabriquées par un chantier d’insertion.</p>	culture		\N	\N	published	4	1	881319488	2026-12-07 11:17:56.987293+00	2026-12-07 11:17:56.987293+00	\N	\N		
p54qzyinkdwyc74rghsrcius54	zw6tj4ziyb55nmmqksxvnvafoa	bt3ijnsyj3kbqungynoiyeaa7e			Cour oasis pour l’école de la rue Blomet	Transformer la cour goudronnée en cour « oasis » : sol perméable, ombre, fontaine, coin calme. Ouverte aux familles le samedi.	<p>Transformer la cour goudronnée en cour « oasis » : sol perméable, ombre, fontaine, coin calme. Ouverte aux familles le samedi.</p>	education		\N	\N	review	6	0	1316763534	2026-12-07 11:17:57.181524+00	2026-12-07 11:17:57.228857+00	\N	\N		
6ppbpmzswzc5zc7hsso6pcg43u	zw6tj4ziyb55nmmqksxvnvafoa	stqtmmvf7e4hsyduomnljlnlzq			Des toilettes publiques gratuites près du marché Grenelle	Les jours de marché, il n’y a aucune toilette accessible à moins de 600 m. Une sanisette accessible aux fauteuils serait bienvenue.	<p>Les jours de marché, il n’y a aucune toilette accessible à moins de 600 m. Une sanisette accessible aux fauteuils serait bienvenue.</p>	proprete		\N	\N	rejected	1	0	1902829473	2026-12-07 11:17:57.230595+00	2026-12-07 11:17:57.23765+00	\N	\N		
taaleugwsyktdncxgmxx3bfj34	zw6tj4ziyb55nmmqksxvnvafoa	imevnulrrgw743le6lzwqvevd4			Un frigo solidaire à la maison des associations	Un réfrigérateur partagé où commerçants et habitants déposent les invendus et les surplus, géré par une association du quartier.	<p>Un réfrigérateur partagé où commerçants et habitants déposent les invendus et les surplus, géré par une association du quartier.</p>	solidarite		\N	\N	published	1	0	7775556	2026-12-07 11:17:57.269783+00	2026-12-07 11:17:57.269783+00	\N	\N		
\.


--
-- Data for Name: rate_limits; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.rate_limits (key, window_start, count) FROM stdin;
\.


--
-- Data for Name: recovery_codes; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.recovery_codes (account_id, code_hash, used_at) FROM stdin;
\.


--
-- Data for Name: reports; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.reports (id, target_kind, target_id, reporter_id, remote_actor, reason, created_at, resolved_at, resolution) FROM stdin;
\.


--
-- Data for Name: residencies; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.residencies (account_id, method, document, verifier_id, verified_at, expires_at, revoked_at, revoked_reason) FROM stdin;
wzbcmgl4j7mh4fsisk2fclbjve	operator			2026-12-07 11:17:56.627094+00	2028-12-06 11:17:56.627094+00	\N	
4z6kjov2udffd4e6cz3ugmkcba	operator			2026-12-07 11:17:56.646885+00	2028-12-06 11:17:56.646885+00	\N	
ko3kjcand3z6u2x5hmjosxzkuu	operator			2026-12-07 11:17:56.666186+00	2028-12-06 11:17:56.666186+00	\N	
7iz35472ibfjcvpeyytoovpa34	operator			2026-12-07 11:17:56.683542+00	2028-12-06 11:17:56.683542+00	\N	
djh4jkufsp3xrqmle2nac6w5pe	operator			2026-12-07 11:17:56.699326+00	2028-12-06 11:17:56.699326+00	\N	
f62c264wabwlx6fv55z2i7svju	operator			2026-12-07 11:17:56.712165+00	2028-12-06 11:17:56.712165+00	\N	
frawyj5paxx2abggogpqdn6f7i	operator			2026-12-07 11:17:56.723243+00	2028-12-06 11:17:56.723243+00	\N	
bt3ijnsyj3kbqungynoiyeaa7e	operator			2026-12-07 11:17:56.736686+00	2028-12-06 11:17:56.736686+00	\N	
stqtmmvf7e4hsyduomnljlnlzq	operator			2026-12-07 11:17:56.748748+00	2028-12-06 11:17:56.748748+00	\N	
imevnulrrgw743le6lzwqvevd4	operator			2026-12-07 11:17:56.763174+00	2028-12-06 11:17:56.763174+00	\N	
\.


--
-- Data for Name: river_job; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.river_job (id, state, attempt, max_attempts, attempted_at, created_at, finalized_at, scheduled_at, priority, args, attempted_by, errors, kind, metadata, queue, tags, unique_key, unique_states) FROM stdin;
\.


--
-- Data for Name: river_leader; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.river_leader (elected_at, expires_at, leader_id, name) FROM stdin;
\.


--
-- Data for Name: river_migration; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.river_migration (line, version, created_at) FROM stdin;
main	1	2026-12-07 11:17:56.069424+00
main	2	2026-12-07 11:17:56.094919+00
main	3	2026-12-07 11:17:56.149622+00
main	4	2026-12-07 11:17:56.159624+00
main	5	2026-12-07 11:17:56.193215+00
main	6	2026-12-07 11:17:56.257521+00
main	7	2026-12-07 11:17:56.264899+00
main	8	2026-12-07 11:17:56.320523+00
\.


--
-- Data for Name: river_notification; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.river_notification (id, created_at, payload, topic) FROM stdin;
\.


--
-- Data for Name: river_queue; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.river_queue (name, created_at, metadata, paused_at, updated_at) FROM stdin;
\.


--
-- Data for Name: sessions; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.sessions (token_hash, account_id, created_at, last_seen_at, expires_at, device, via) FROM stdin;
\.


--
-- Data for Name: space_categories; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.space_categories (space_id, slug, name_fr, name_en, "position") FROM stdin;
zw6tj4ziyb55nmmqksxvnvafoa	espaces-verts	Espaces verts	Green spaces	0
zw6tj4ziyb55nmmqksxvnvafoa	mobilite	Mobilité	Getting around	1
zw6tj4ziyb55nmmqksxvnvafoa	proprete	Propreté	Cleanliness	2
zw6tj4ziyb55nmmqksxvnvafoa	culture	Culture et patrimoine	Culture and heritage	3
zw6tj4ziyb55nmmqksxvnvafoa	education	Éducation et jeunesse	Education and youth	4
zw6tj4ziyb55nmmqksxvnvafoa	solidarite	Solidarité	Solidarity	5
u37wcxcpxx7u7kz7ufmhfjbcce	espaces-verts	Espaces verts	Green spaces	0
u37wcxcpxx7u7kz7ufmhfjbcce	mobilite	Mobilité	Getting around	1
u37wcxcpxx7u7kz7ufmhfjbcce	proprete	Propreté	Cleanliness	2
\.


--
-- Data for Name: space_phases; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.space_phases (space_id, "position", kind, name, starts_at, ends_at) FROM stdin;
zw6tj4ziyb55nmmqksxvnvafoa	0	information	Ateliers de quartier	2026-10-28 11:17:56.580184+00	2026-11-17 11:17:56.580184+00
zw6tj4ziyb55nmmqksxvnvafoa	1	proposals	Dépôt et soutien des projets	2026-11-17 11:17:56.580184+00	2027-01-01 11:17:56.580184+00
zw6tj4ziyb55nmmqksxvnvafoa	2	evaluation	Étude par les services	2027-01-01 11:17:56.580184+00	2027-02-15 11:17:56.580184+00
zw6tj4ziyb55nmmqksxvnvafoa	3	vote	Vote	2027-02-15 11:17:56.580184+00	2027-03-02 11:17:56.580184+00
zw6tj4ziyb55nmmqksxvnvafoa	4	implementation	Réalisation	2027-03-02 11:17:56.580184+00	2028-03-01 11:17:56.580184+00
u37wcxcpxx7u7kz7ufmhfjbcce	0	proposals	Questions pour la séance de janvier	2026-11-27 11:17:56.580184+00	2027-01-26 11:17:56.580184+00
u37wcxcpxx7u7kz7ufmhfjbcce	1	debate	Séance et débats	2027-01-26 11:17:56.580184+00	2027-02-25 11:17:56.580184+00
\.


--
-- Data for Name: spaces; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.spaces (id, slug, title, description, kind, title_max, body_max, support_threshold, unverified_may_propose, created_at, updated_at, created_by) FROM stdin;
zw6tj4ziyb55nmmqksxvnvafoa	budget-participatif-2027	Budget participatif 2027 du 15e arrondissement	Vous décidez de l’usage de **3 millions d’euros** du budget d’investissement de l’arrondissement.\n\nProposez un projet d’intérêt général (une rue plus verte, un équipement sportif, une boîte à livres…), soutenez ceux qui vous plaisent : à partir de 10 soutiens, les services de la Ville étudient la faisabilité et répondent publiquement. Les projets retenus sont ensuite soumis au vote.\n\nPas d’ordinateur ? Déposez votre projet au guichet de la mairie, 31 rue Péclet.	process	100	700	10	f	2026-12-07 11:17:56.780227+00	2026-12-07 11:17:56.780227+00	
u37wcxcpxx7u7kz7ufmhfjbcce	conseil-quartier-necker	Conseil de quartier Necker – Pasteur	Le conseil de quartier réunit les habitantes et habitants du quartier Necker – Pasteur. Il se réunit une fois par trimestre ; ses questions et ses débats sont ouverts à toutes et tous ici.	council	100	700	0	t	2026-12-07 11:17:56.794447+00	2026-12-07 11:17:56.794447+00	
\.


--
-- Data for Name: webauthn_challenges; Type: TABLE DATA; Schema: agora_9672f58; Owner: -
--

COPY agora_9672f58.webauthn_challenges (id, browser_hash, kind, account_id, data, expires_at) FROM stdin;
\.


--
-- Name: agora_migration_locks_id_seq; Type: SEQUENCE SET; Schema: agora_9672f58; Owner: -
--

SELECT pg_catalog.setval('agora_9672f58.agora_migration_locks_id_seq', 1, false);


--
-- Name: agora_migrations_id_seq; Type: SEQUENCE SET; Schema: agora_9672f58; Owner: -
--

SELECT pg_catalog.setval('agora_9672f58.agora_migrations_id_seq', 8, true);


--
-- Name: audit_log_id_seq; Type: SEQUENCE SET; Schema: agora_9672f58; Owner: -
--

SELECT pg_catalog.setval('agora_9672f58.audit_log_id_seq', 27, true);


--
-- Name: moderation_log_id_seq; Type: SEQUENCE SET; Schema: agora_9672f58; Owner: -
--

SELECT pg_catalog.setval('agora_9672f58.moderation_log_id_seq', 1, false);


--
-- Name: outbox_events_id_seq; Type: SEQUENCE SET; Schema: agora_9672f58; Owner: -
--

SELECT pg_catalog.setval('agora_9672f58.outbox_events_id_seq', 43, true);


--
-- Name: proposal_events_id_seq; Type: SEQUENCE SET; Schema: agora_9672f58; Owner: -
--

SELECT pg_catalog.setval('agora_9672f58.proposal_events_id_seq', 15, true);


--
-- Name: river_job_id_seq; Type: SEQUENCE SET; Schema: agora_9672f58; Owner: -
--

SELECT pg_catalog.setval('agora_9672f58.river_job_id_seq', 1, false);


--
-- Name: river_notification_id_seq; Type: SEQUENCE SET; Schema: agora_9672f58; Owner: -
--

SELECT pg_catalog.setval('agora_9672f58.river_notification_id_seq', 1, false);


--
-- Name: account_roles account_roles_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.account_roles
    ADD CONSTRAINT account_roles_pkey PRIMARY KEY (account_id, role);


--
-- Name: accounts accounts_handle_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.accounts
    ADD CONSTRAINT accounts_handle_key UNIQUE (handle);


--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);


--
-- Name: accounts accounts_webauthn_id_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.accounts
    ADD CONSTRAINT accounts_webauthn_id_key UNIQUE (webauthn_id);


--
-- Name: agora_migration_locks agora_migration_locks_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.agora_migration_locks
    ADD CONSTRAINT agora_migration_locks_pkey PRIMARY KEY (id);


--
-- Name: agora_migration_locks agora_migration_locks_table_name_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.agora_migration_locks
    ADD CONSTRAINT agora_migration_locks_table_name_key UNIQUE (table_name);


--
-- Name: agora_migrations agora_migrations_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.agora_migrations
    ADD CONSTRAINT agora_migrations_pkey PRIMARY KEY (id);


--
-- Name: ap_domain_blocks ap_domain_blocks_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_domain_blocks
    ADD CONSTRAINT ap_domain_blocks_pkey PRIMARY KEY (host);


--
-- Name: ap_followers ap_followers_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_followers
    ADD CONSTRAINT ap_followers_pkey PRIMARY KEY (actor, follower);


--
-- Name: ap_following ap_following_follow_id_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_following
    ADD CONSTRAINT ap_following_follow_id_key UNIQUE (follow_id);


--
-- Name: ap_following ap_following_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_following
    ADD CONSTRAINT ap_following_pkey PRIMARY KEY (remote);


--
-- Name: ap_keys ap_keys_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_keys
    ADD CONSTRAINT ap_keys_pkey PRIMARY KEY (owner);


--
-- Name: ap_peers ap_peers_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_peers
    ADD CONSTRAINT ap_peers_pkey PRIMARY KEY (host);


--
-- Name: ap_published ap_published_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_published
    ADD CONSTRAINT ap_published_pkey PRIMARY KEY (object_type, object_id);


--
-- Name: ap_reactions ap_reactions_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_reactions
    ADD CONSTRAINT ap_reactions_pkey PRIMARY KEY (activity_id);


--
-- Name: ap_received ap_received_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_received
    ADD CONSTRAINT ap_received_pkey PRIMARY KEY (activity_id);


--
-- Name: ap_remote_actors ap_remote_actors_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_remote_actors
    ADD CONSTRAINT ap_remote_actors_pkey PRIMARY KEY (id);


--
-- Name: ap_remote_objects ap_remote_objects_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_remote_objects
    ADD CONSTRAINT ap_remote_objects_pkey PRIMARY KEY (id);


--
-- Name: ap_sent_adoptions ap_sent_adoptions_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.ap_sent_adoptions
    ADD CONSTRAINT ap_sent_adoptions_pkey PRIMARY KEY (adoption_id);


--
-- Name: app_adoptions app_adoptions_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_adoptions
    ADD CONSTRAINT app_adoptions_pkey PRIMARY KEY (id);


--
-- Name: app_adoptions app_adoptions_remote_id_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_adoptions
    ADD CONSTRAINT app_adoptions_remote_id_key UNIQUE (remote_id);


--
-- Name: app_artifacts app_artifacts_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_artifacts
    ADD CONSTRAINT app_artifacts_pkey PRIMARY KEY (id);


--
-- Name: app_media app_media_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_media
    ADD CONSTRAINT app_media_pkey PRIMARY KEY (id);


--
-- Name: app_releases app_releases_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_releases
    ADD CONSTRAINT app_releases_pkey PRIMARY KEY (id);


--
-- Name: app_releases app_releases_remote_id_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_releases
    ADD CONSTRAINT app_releases_remote_id_key UNIQUE (remote_id);


--
-- Name: app_tags app_tags_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_tags
    ADD CONSTRAINT app_tags_pkey PRIMARY KEY (app_id, kind, value);


--
-- Name: apps apps_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.apps
    ADD CONSTRAINT apps_pkey PRIMARY KEY (id);


--
-- Name: apps apps_remote_id_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.apps
    ADD CONSTRAINT apps_remote_id_key UNIQUE (remote_id);


--
-- Name: apps apps_slug_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.apps
    ADD CONSTRAINT apps_slug_key UNIQUE (slug);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);


--
-- Name: census_entries census_entries_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.census_entries
    ADD CONSTRAINT census_entries_pkey PRIMARY KEY (hash);


--
-- Name: census_imports census_imports_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.census_imports
    ADD CONSTRAINT census_imports_pkey PRIMARY KEY (id);


--
-- Name: comment_supports comment_supports_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.comment_supports
    ADD CONSTRAINT comment_supports_pkey PRIMARY KEY (comment_id, account_id);


--
-- Name: comment_threads comment_threads_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.comment_threads
    ADD CONSTRAINT comment_threads_pkey PRIMARY KEY (target_kind, target_id);


--
-- Name: comment_versions comment_versions_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.comment_versions
    ADD CONSTRAINT comment_versions_pkey PRIMARY KEY (comment_id, version);


--
-- Name: comments comments_ap_id_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.comments
    ADD CONSTRAINT comments_ap_id_key UNIQUE (ap_id);


--
-- Name: comments comments_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.comments
    ADD CONSTRAINT comments_pkey PRIMARY KEY (id);


--
-- Name: debates debates_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.debates
    ADD CONSTRAINT debates_pkey PRIMARY KEY (id);


--
-- Name: letter_codes letter_codes_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.letter_codes
    ADD CONSTRAINT letter_codes_pkey PRIMARY KEY (code_hash);


--
-- Name: moderation_log moderation_log_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.moderation_log
    ADD CONSTRAINT moderation_log_pkey PRIMARY KEY (id);


--
-- Name: node_settings node_settings_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.node_settings
    ADD CONSTRAINT node_settings_pkey PRIMARY KEY (key);


--
-- Name: one_time_codes one_time_codes_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.one_time_codes
    ADD CONSTRAINT one_time_codes_pkey PRIMARY KEY (code_hash);


--
-- Name: outbox_events outbox_events_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.outbox_events
    ADD CONSTRAINT outbox_events_pkey PRIMARY KEY (id);


--
-- Name: passkeys passkeys_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.passkeys
    ADD CONSTRAINT passkeys_pkey PRIMARY KEY (id);


--
-- Name: proposal_attachments proposal_attachments_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposal_attachments
    ADD CONSTRAINT proposal_attachments_pkey PRIMARY KEY (proposal_id, "position");


--
-- Name: proposal_events proposal_events_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposal_events
    ADD CONSTRAINT proposal_events_pkey PRIMARY KEY (id);


--
-- Name: proposal_supports proposal_supports_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposal_supports
    ADD CONSTRAINT proposal_supports_pkey PRIMARY KEY (proposal_id, account_id);


--
-- Name: proposals proposals_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposals
    ADD CONSTRAINT proposals_pkey PRIMARY KEY (id);


--
-- Name: rate_limits rate_limits_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.rate_limits
    ADD CONSTRAINT rate_limits_pkey PRIMARY KEY (key);


--
-- Name: recovery_codes recovery_codes_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.recovery_codes
    ADD CONSTRAINT recovery_codes_pkey PRIMARY KEY (account_id, code_hash);


--
-- Name: reports reports_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.reports
    ADD CONSTRAINT reports_pkey PRIMARY KEY (id);


--
-- Name: residencies residencies_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.residencies
    ADD CONSTRAINT residencies_pkey PRIMARY KEY (account_id);


--
-- Name: river_job river_job_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.river_job
    ADD CONSTRAINT river_job_pkey PRIMARY KEY (id);


--
-- Name: river_leader river_leader_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.river_leader
    ADD CONSTRAINT river_leader_pkey PRIMARY KEY (name);


--
-- Name: river_migration river_migration_pkey1; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.river_migration
    ADD CONSTRAINT river_migration_pkey1 PRIMARY KEY (line, version);


--
-- Name: river_notification river_notification_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.river_notification
    ADD CONSTRAINT river_notification_pkey PRIMARY KEY (id);


--
-- Name: river_queue river_queue_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.river_queue
    ADD CONSTRAINT river_queue_pkey PRIMARY KEY (name);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token_hash);


--
-- Name: space_categories space_categories_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.space_categories
    ADD CONSTRAINT space_categories_pkey PRIMARY KEY (space_id, slug);


--
-- Name: space_phases space_phases_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.space_phases
    ADD CONSTRAINT space_phases_pkey PRIMARY KEY (space_id, "position");


--
-- Name: spaces spaces_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.spaces
    ADD CONSTRAINT spaces_pkey PRIMARY KEY (id);


--
-- Name: spaces spaces_slug_key; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.spaces
    ADD CONSTRAINT spaces_slug_key UNIQUE (slug);


--
-- Name: webauthn_challenges webauthn_challenges_pkey; Type: CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.webauthn_challenges
    ADD CONSTRAINT webauthn_challenges_pkey PRIMARY KEY (id);


--
-- Name: ap_followers_follower_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX ap_followers_follower_idx ON agora_9672f58.ap_followers USING btree (follower);


--
-- Name: ap_reactions_object_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX ap_reactions_object_idx ON agora_9672f58.ap_reactions USING btree (object_type, object_id);


--
-- Name: ap_remote_actors_key_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX ap_remote_actors_key_idx ON agora_9672f58.ap_remote_actors USING btree (key_id);


--
-- Name: ap_remote_objects_context_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX ap_remote_objects_context_idx ON agora_9672f58.ap_remote_objects USING btree (context);


--
-- Name: ap_remote_objects_group_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX ap_remote_objects_group_idx ON agora_9672f58.ap_remote_objects USING btree (group_actor, type, published);


--
-- Name: app_adoptions_adopter_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE UNIQUE INDEX app_adoptions_adopter_idx ON agora_9672f58.app_adoptions USING btree (app_id, adopter_key);


--
-- Name: app_artifacts_blob_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX app_artifacts_blob_idx ON agora_9672f58.app_artifacts USING btree (blob_key);


--
-- Name: app_artifacts_name_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE UNIQUE INDEX app_artifacts_name_idx ON agora_9672f58.app_artifacts USING btree (release_id, name);


--
-- Name: app_artifacts_release_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX app_artifacts_release_idx ON agora_9672f58.app_artifacts USING btree (release_id, "position");


--
-- Name: app_media_blob_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX app_media_blob_idx ON agora_9672f58.app_media USING btree (blob_key);


--
-- Name: app_media_place_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE UNIQUE INDEX app_media_place_idx ON agora_9672f58.app_media USING btree (app_id, kind, "position");


--
-- Name: app_releases_app_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX app_releases_app_idx ON agora_9672f58.app_releases USING btree (app_id, released_on);


--
-- Name: app_releases_version_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE UNIQUE INDEX app_releases_version_idx ON agora_9672f58.app_releases USING btree (app_id, version);


--
-- Name: app_tags_filter_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX app_tags_filter_idx ON agora_9672f58.app_tags USING btree (kind, value, app_id);


--
-- Name: apps_license_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX apps_license_idx ON agora_9672f58.apps USING btree (license);


--
-- Name: apps_local_url_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE UNIQUE INDEX apps_local_url_idx ON agora_9672f58.apps USING btree (url) WHERE ((remote_id IS NULL) AND (deleted_at IS NULL));


--
-- Name: apps_name_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX apps_name_idx ON agora_9672f58.apps USING btree (lower((name)::text), id);


--
-- Name: apps_review_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX apps_review_idx ON agora_9672f58.apps USING btree (review_state);


--
-- Name: apps_status_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX apps_status_idx ON agora_9672f58.apps USING btree (development_status);


--
-- Name: apps_type_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX apps_type_idx ON agora_9672f58.apps USING btree (software_type);


--
-- Name: apps_url_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX apps_url_idx ON agora_9672f58.apps USING btree (url);


--
-- Name: audit_action_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX audit_action_idx ON agora_9672f58.audit_log USING btree (action, id);


--
-- Name: audit_actor_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX audit_actor_idx ON agora_9672f58.audit_log USING btree (actor_id, id);


--
-- Name: audit_subject_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX audit_subject_idx ON agora_9672f58.audit_log USING btree (subject_id, id);


--
-- Name: census_entries_import_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX census_entries_import_idx ON agora_9672f58.census_entries USING btree (import);


--
-- Name: challenges_expires_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX challenges_expires_idx ON agora_9672f58.webauthn_challenges USING btree (expires_at);


--
-- Name: comments_author_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX comments_author_idx ON agora_9672f58.comments USING btree (author_id);


--
-- Name: comments_parent_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX comments_parent_idx ON agora_9672f58.comments USING btree (parent_id);


--
-- Name: comments_target_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX comments_target_idx ON agora_9672f58.comments USING btree (target_kind, target_id, created_at, id);


--
-- Name: debates_space_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX debates_space_idx ON agora_9672f58.debates USING btree (space_id, created_at);


--
-- Name: letter_codes_batch_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX letter_codes_batch_idx ON agora_9672f58.letter_codes USING btree (batch);


--
-- Name: moderation_log_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX moderation_log_idx ON agora_9672f58.moderation_log USING btree (id);


--
-- Name: moderation_log_space_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX moderation_log_space_idx ON agora_9672f58.moderation_log USING btree (space_id, id);


--
-- Name: one_time_codes_account_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX one_time_codes_account_idx ON agora_9672f58.one_time_codes USING btree (account_id);


--
-- Name: outbox_events_id_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX outbox_events_id_idx ON agora_9672f58.outbox_events USING btree (id);


--
-- Name: passkeys_account_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX passkeys_account_idx ON agora_9672f58.passkeys USING btree (account_id);


--
-- Name: proposal_events_proposal_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX proposal_events_proposal_idx ON agora_9672f58.proposal_events USING btree (proposal_id, id);


--
-- Name: proposals_author_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX proposals_author_idx ON agora_9672f58.proposals USING btree (author_id);


--
-- Name: proposals_search_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX proposals_search_idx ON agora_9672f58.proposals USING gin (search);


--
-- Name: proposals_space_created_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX proposals_space_created_idx ON agora_9672f58.proposals USING btree (space_id, created_at, id);


--
-- Name: proposals_space_rand_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX proposals_space_rand_idx ON agora_9672f58.proposals USING btree (space_id, rand_key, id);


--
-- Name: proposals_space_state_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX proposals_space_state_idx ON agora_9672f58.proposals USING btree (space_id, state);


--
-- Name: proposals_space_supports_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX proposals_space_supports_idx ON agora_9672f58.proposals USING btree (space_id, support_count, id);


--
-- Name: reports_open_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX reports_open_idx ON agora_9672f58.reports USING btree (resolved_at, created_at);


--
-- Name: reports_open_local_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE UNIQUE INDEX reports_open_local_idx ON agora_9672f58.reports USING btree (target_kind, target_id, reporter_id) WHERE ((resolved_at IS NULL) AND (reporter_id IS NOT NULL));


--
-- Name: reports_open_remote_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE UNIQUE INDEX reports_open_remote_idx ON agora_9672f58.reports USING btree (target_kind, target_id, remote_actor) WHERE ((resolved_at IS NULL) AND (remote_actor IS NOT NULL));


--
-- Name: river_job_args_index; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX river_job_args_index ON agora_9672f58.river_job USING gin (args);


--
-- Name: river_job_kind; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX river_job_kind ON agora_9672f58.river_job USING btree (kind);


--
-- Name: river_job_metadata_index; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX river_job_metadata_index ON agora_9672f58.river_job USING gin (metadata);


--
-- Name: river_job_prioritized_fetching_index; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX river_job_prioritized_fetching_index ON agora_9672f58.river_job USING btree (state, queue, priority, scheduled_at, id);


--
-- Name: river_job_state_and_finalized_at_index; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX river_job_state_and_finalized_at_index ON agora_9672f58.river_job USING btree (state, finalized_at) WHERE (finalized_at IS NOT NULL);


--
-- Name: river_job_unique_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE UNIQUE INDEX river_job_unique_idx ON agora_9672f58.river_job USING btree (unique_key) WHERE ((unique_key IS NOT NULL) AND (unique_states IS NOT NULL) AND agora_9672f58.river_job_state_in_bitmask(unique_states, state));


--
-- Name: river_notification_created_at_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX river_notification_created_at_idx ON agora_9672f58.river_notification USING btree (created_at);


--
-- Name: river_notification_topic_id_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX river_notification_topic_id_idx ON agora_9672f58.river_notification USING btree (topic, id);


--
-- Name: sessions_account_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX sessions_account_idx ON agora_9672f58.sessions USING btree (account_id);


--
-- Name: sessions_expires_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX sessions_expires_idx ON agora_9672f58.sessions USING btree (expires_at);


--
-- Name: supports_account_idx; Type: INDEX; Schema: agora_9672f58; Owner: -
--

CREATE INDEX supports_account_idx ON agora_9672f58.proposal_supports USING btree (account_id);


--
-- Name: audit_log audit_log_append_only; Type: TRIGGER; Schema: agora_9672f58; Owner: -
--

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON agora_9672f58.audit_log FOR EACH ROW EXECUTE FUNCTION agora_9672f58.agora_append_only();


--
-- Name: audit_log audit_log_no_truncate; Type: TRIGGER; Schema: agora_9672f58; Owner: -
--

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON agora_9672f58.audit_log FOR EACH STATEMENT EXECUTE FUNCTION agora_9672f58.agora_append_only();


--
-- Name: comments comment_threads_bump; Type: TRIGGER; Schema: agora_9672f58; Owner: -
--

CREATE TRIGGER comment_threads_bump AFTER INSERT OR DELETE OR UPDATE ON agora_9672f58.comments FOR EACH ROW EXECUTE FUNCTION agora_9672f58.comment_threads_bump();


--
-- Name: moderation_log moderation_log_append_only; Type: TRIGGER; Schema: agora_9672f58; Owner: -
--

CREATE TRIGGER moderation_log_append_only BEFORE DELETE OR UPDATE ON agora_9672f58.moderation_log FOR EACH ROW EXECUTE FUNCTION agora_9672f58.agora_append_only();


--
-- Name: moderation_log moderation_log_no_truncate; Type: TRIGGER; Schema: agora_9672f58; Owner: -
--

CREATE TRIGGER moderation_log_no_truncate BEFORE TRUNCATE ON agora_9672f58.moderation_log FOR EACH STATEMENT EXECUTE FUNCTION agora_9672f58.agora_append_only();


--
-- Name: account_roles account_roles_account_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.account_roles
    ADD CONSTRAINT account_roles_account_id_fkey FOREIGN KEY (account_id) REFERENCES agora_9672f58.accounts(id) ON DELETE CASCADE;


--
-- Name: app_adoptions app_adoptions_app_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_adoptions
    ADD CONSTRAINT app_adoptions_app_id_fkey FOREIGN KEY (app_id) REFERENCES agora_9672f58.apps(id) ON DELETE CASCADE;


--
-- Name: app_artifacts app_artifacts_release_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_artifacts
    ADD CONSTRAINT app_artifacts_release_id_fkey FOREIGN KEY (release_id) REFERENCES agora_9672f58.app_releases(id) ON DELETE CASCADE;


--
-- Name: app_media app_media_app_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_media
    ADD CONSTRAINT app_media_app_id_fkey FOREIGN KEY (app_id) REFERENCES agora_9672f58.apps(id) ON DELETE CASCADE;


--
-- Name: app_releases app_releases_app_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_releases
    ADD CONSTRAINT app_releases_app_id_fkey FOREIGN KEY (app_id) REFERENCES agora_9672f58.apps(id) ON DELETE CASCADE;


--
-- Name: app_tags app_tags_app_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.app_tags
    ADD CONSTRAINT app_tags_app_id_fkey FOREIGN KEY (app_id) REFERENCES agora_9672f58.apps(id) ON DELETE CASCADE;


--
-- Name: census_entries census_entries_import_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.census_entries
    ADD CONSTRAINT census_entries_import_fkey FOREIGN KEY (import) REFERENCES agora_9672f58.census_imports(id) ON DELETE CASCADE;


--
-- Name: comment_supports comment_supports_account_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.comment_supports
    ADD CONSTRAINT comment_supports_account_id_fkey FOREIGN KEY (account_id) REFERENCES agora_9672f58.accounts(id) ON DELETE CASCADE;


--
-- Name: comment_supports comment_supports_comment_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.comment_supports
    ADD CONSTRAINT comment_supports_comment_id_fkey FOREIGN KEY (comment_id) REFERENCES agora_9672f58.comments(id) ON DELETE CASCADE;


--
-- Name: comment_versions comment_versions_comment_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.comment_versions
    ADD CONSTRAINT comment_versions_comment_id_fkey FOREIGN KEY (comment_id) REFERENCES agora_9672f58.comments(id) ON DELETE CASCADE;


--
-- Name: debates debates_author_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.debates
    ADD CONSTRAINT debates_author_id_fkey FOREIGN KEY (author_id) REFERENCES agora_9672f58.accounts(id);


--
-- Name: debates debates_space_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.debates
    ADD CONSTRAINT debates_space_id_fkey FOREIGN KEY (space_id) REFERENCES agora_9672f58.spaces(id);


--
-- Name: one_time_codes one_time_codes_account_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.one_time_codes
    ADD CONSTRAINT one_time_codes_account_id_fkey FOREIGN KEY (account_id) REFERENCES agora_9672f58.accounts(id) ON DELETE CASCADE;


--
-- Name: passkeys passkeys_account_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.passkeys
    ADD CONSTRAINT passkeys_account_id_fkey FOREIGN KEY (account_id) REFERENCES agora_9672f58.accounts(id) ON DELETE CASCADE;


--
-- Name: proposal_attachments proposal_attachments_proposal_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposal_attachments
    ADD CONSTRAINT proposal_attachments_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES agora_9672f58.proposals(id) ON DELETE CASCADE;


--
-- Name: proposal_events proposal_events_proposal_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposal_events
    ADD CONSTRAINT proposal_events_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES agora_9672f58.proposals(id) ON DELETE CASCADE;


--
-- Name: proposal_supports proposal_supports_account_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposal_supports
    ADD CONSTRAINT proposal_supports_account_id_fkey FOREIGN KEY (account_id) REFERENCES agora_9672f58.accounts(id) ON DELETE CASCADE;


--
-- Name: proposal_supports proposal_supports_proposal_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposal_supports
    ADD CONSTRAINT proposal_supports_proposal_id_fkey FOREIGN KEY (proposal_id) REFERENCES agora_9672f58.proposals(id) ON DELETE CASCADE;


--
-- Name: proposals proposals_author_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposals
    ADD CONSTRAINT proposals_author_id_fkey FOREIGN KEY (author_id) REFERENCES agora_9672f58.accounts(id);


--
-- Name: proposals proposals_space_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.proposals
    ADD CONSTRAINT proposals_space_id_fkey FOREIGN KEY (space_id) REFERENCES agora_9672f58.spaces(id);


--
-- Name: recovery_codes recovery_codes_account_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.recovery_codes
    ADD CONSTRAINT recovery_codes_account_id_fkey FOREIGN KEY (account_id) REFERENCES agora_9672f58.accounts(id) ON DELETE CASCADE;


--
-- Name: residencies residencies_account_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.residencies
    ADD CONSTRAINT residencies_account_id_fkey FOREIGN KEY (account_id) REFERENCES agora_9672f58.accounts(id) ON DELETE CASCADE;


--
-- Name: sessions sessions_account_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.sessions
    ADD CONSTRAINT sessions_account_id_fkey FOREIGN KEY (account_id) REFERENCES agora_9672f58.accounts(id) ON DELETE CASCADE;


--
-- Name: space_categories space_categories_space_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.space_categories
    ADD CONSTRAINT space_categories_space_id_fkey FOREIGN KEY (space_id) REFERENCES agora_9672f58.spaces(id) ON DELETE CASCADE;


--
-- Name: space_phases space_phases_space_id_fkey; Type: FK CONSTRAINT; Schema: agora_9672f58; Owner: -
--

ALTER TABLE ONLY agora_9672f58.space_phases
    ADD CONSTRAINT space_phases_space_id_fkey FOREIGN KEY (space_id) REFERENCES agora_9672f58.spaces(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


