package federation

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
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
	byHost, err := s.blockList.load(ctx, s.db, s.now())
	if err != nil {
		return "", err
	}
	// A block on example.org covers its subdomains.
	var found []Block
	for h := host; ; {
		if b, ok := byHost[h]; ok {
			found = append(found, b)
		}
		i := strings.Index(h, ".")
		if i < 0 {
			break
		}
		h = h[i+1:]
	}
	blocks := found
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
	s.blockList.forget()
	if err != nil {
		return fmt.Errorf("block %s: %w", host, err)
	}
	return nil
}

// RemoveBlock lifts a block.
func (s *Service) RemoveBlock(ctx context.Context, host string) error {
	_, err := s.db.NewDelete().Model((*Block)(nil)).Where("host = ?", strings.ToLower(host)).Exec(ctx)
	s.blockList.forget()
	return err
}

// Blocks lists the blocks, by host.
func (s *Service) Blocks(ctx context.Context) ([]Block, error) {
	var out []Block
	err := s.db.NewSelect().Model(&out).Order("host").Scan(ctx)
	return out, err
}

// blocksTTL is how long the process uses the blocks it read: every
// activity and delivery asks them, and the table is small. A block set
// here applies at once; one set by another process within this time.
const blocksTTL = 2 * time.Second

// blockList is the blocks by host, read at most once per blocksTTL.
type blockList struct {
	mu     sync.Mutex
	at     time.Time
	byHost map[string]Block
}

func (l *blockList) load(ctx context.Context, db bun.IDB, now time.Time) (map[string]Block, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.byHost != nil && now.Sub(l.at) < blocksTTL && !now.Before(l.at) {
		return l.byHost, nil
	}
	var rows []Block
	if err := db.NewSelect().Model(&rows).Column("host", "severity").Scan(ctx); err != nil {
		return nil, fmt.Errorf("read blocks: %w", err)
	}
	l.byHost = make(map[string]Block, len(rows))
	for _, b := range rows {
		l.byHost[b.Host] = b
	}
	l.at = now
	return l.byHost, nil
}

// forget makes the next look-up read the blocks again.
func (l *blockList) forget() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byHost = nil
}

// ErrInvalid is bad input from an admin or a peer.
var ErrInvalid = errors.New("invalid")
