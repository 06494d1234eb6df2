package federation

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Severities of a domain block. Suspend cuts a host off both ways:
// nothing of it is accepted or fetched, nothing is delivered to it.
// Silence accepts its follows and deliveries but not its content
// (comments, reactions, reports). Allow lists a partner in allowlist mode
// (Config.Allowlist), where every other host is suspended.
const (
	Suspend = "suspend"
	Silence = "silence"
	Allow   = "allow"
)

// ErrBlocked is a host the node does not federate with.
var ErrBlocked = errors.New("domain blocked")

// Block is an admin's decision about a host.
type Block struct {
	bun.BaseModel `bun:"table:ap_domain_blocks"`
	Host          string    `bun:"host,pk"`
	Severity      string    `bun:"severity"`
	Reason        string    `bun:"reason"`
	CreatedAt     time.Time `bun:"created_at"`
	CreatedBy     string    `bun:"created_by,nullzero"`
}

// severity is how the node treats host: Suspend, Silence or "" (federate).
func (s *Service) severity(ctx context.Context, host string) (string, error) {
	host = strings.ToLower(host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	var blocks []Block
	// A block on example.org covers its subdomains.
	cands := []string{host}
	for h := host; strings.Contains(h, "."); {
		h = h[strings.Index(h, ".")+1:]
		cands = append(cands, h)
	}
	if err := s.db.NewSelect().Model(&blocks).Where("host IN (?)", bun.In(cands)).Scan(ctx); err != nil {
		return "", fmt.Errorf("read blocks: %w", err)
	}
	allowed := false
	for _, b := range blocks {
		switch b.Severity {
		case Suspend:
			return Suspend, nil
		case Allow:
			allowed = true
		}
	}
	for _, b := range blocks {
		if b.Severity == Silence {
			return Silence, nil
		}
	}
	if s.cfg.Allowlist && !allowed {
		return Suspend, nil
	}
	return "", nil
}

// refuseBlocked is ErrBlocked for a suspended host.
func (s *Service) refuseBlocked(host string) error {
	sev, err := s.severity(context.Background(), host)
	if err != nil {
		return err
	}
	if sev == Suspend {
		return fmt.Errorf("%w: %s", ErrBlocked, host)
	}
	return nil
}

// SetBlock records an admin's block (or allow) of a host.
func (s *Service) SetBlock(ctx context.Context, host, severity, reason, by string) error {
	host = strings.ToLower(strings.TrimSpace(host))
	if host == "" || strings.ContainsAny(host, "/:@ ") {
		return fmt.Errorf("%w: %q is not a host name", ErrInvalid, host)
	}
	switch severity {
	case Suspend, Silence, Allow:
	default:
		return fmt.Errorf("%w: severity %q", ErrInvalid, severity)
	}
	b := &Block{Host: host, Severity: severity, Reason: reason, CreatedAt: s.now(), CreatedBy: by}
	_, err := s.db.NewInsert().Model(b).On("CONFLICT (host) DO UPDATE").
		Set("severity = EXCLUDED.severity, reason = EXCLUDED.reason, created_at = EXCLUDED.created_at, created_by = EXCLUDED.created_by").
		Exec(ctx)
	if err != nil {
		return fmt.Errorf("block %s: %w", host, err)
	}
	return nil
}

// RemoveBlock lifts a block.
func (s *Service) RemoveBlock(ctx context.Context, host string) error {
	_, err := s.db.NewDelete().Model((*Block)(nil)).Where("host = ?", strings.ToLower(host)).Exec(ctx)
	return err
}

// Blocks lists the blocks, by host.
func (s *Service) Blocks(ctx context.Context) ([]Block, error) {
	var out []Block
	err := s.db.NewSelect().Model(&out).Order("host").Scan(ctx)
	return out, err
}

// ErrInvalid is bad input from an admin or a peer.
var ErrInvalid = errors.New("invalid")
