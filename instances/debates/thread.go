package debates

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// Sort orders the comments at each level of a thread.
type Sort string

const (
	SortOldest    Sort = "oldest"
	SortNewest    Sort = "newest"
	SortSupported Sort = "supported" // most supported first, then oldest
)

// ParseSort checks a sort order; "" means oldest first.
func ParseSort(s string) (Sort, error) {
	switch o := Sort(s); o {
	case "":
		return SortOldest, nil
	case SortOldest, SortNewest, SortSupported:
		return o, nil
	}
	return "", fmt.Errorf("%w: %q", ErrSort, s)
}

// ThreadOptions say how a thread is shown.
type ThreadOptions struct {
	Sort Sort
	// MaxDepth is how many levels are shown; 0 shows every level. With
	// 3, comments, their replies and the replies to those nest; anything
	// deeper is shown flat at the third level, right after the comment
	// it descends from, in thread order. With 1 the whole thread is flat.
	MaxDepth int
}

// Node is a comment in a thread as shown.
type Node struct {
	*Comment
	Level   int     // 0 for the top level; less than Depth when flattened
	Replies []*Node // in the order asked for
}

// Thread returns every comment on a target as a tree, read in one query
// and assembled here. Hidden comments keep their place, without their
// body: pages show "hidden by moderation" and the reason. Deleted
// comments still holding replies are there, marked deleted, with an
// empty body.
func (s *Service) Thread(ctx context.Context, t Target, opts ThreadOptions) ([]*Node, error) {
	if _, err := t.Kind.table(); err != nil {
		return nil, err
	}
	order, err := ParseSort(string(opts.Sort))
	if err != nil {
		return nil, err
	}
	var rows []*Comment
	err = s.db.NewSelect().Model(&rows).Relation("Author").
		Where("c.target_kind = ? AND c.target_id = ?", t.Kind, t.ID).
		Order("c.created_at", "c.id").Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load thread: %w", err)
	}
	for _, c := range rows {
		c.fix()
		if c.Hidden() {
			c.Body, c.BodyHTML = "", ""
		}
	}
	return assemble(rows, order, opts.MaxDepth), nil
}

// assemble builds the tree of rows (oldest first), sorts each level and
// flattens levels deeper than maxDepth (0 for no limit).
func assemble(rows []*Comment, order Sort, maxDepth int) []*Node {
	nodes := make(map[string]*Node, len(rows))
	for _, c := range rows {
		nodes[c.ID] = &Node{Comment: c}
	}
	// children[id] are the replies to id, "" holding the top level. A
	// reply whose parent is missing (never, short of a bug) shows at the
	// top rather than vanishing.
	children := make(map[string][]*Node, len(rows))
	for _, c := range rows {
		parent := c.ParentID
		if _, ok := nodes[parent]; !ok {
			parent = ""
		}
		children[parent] = append(children[parent], nodes[c.ID])
	}
	for _, list := range children {
		sortLevel(list, order)
	}
	var top []*Node
	var place func(n *Node, level int, into *[]*Node)
	place = func(n *Node, level int, into *[]*Node) {
		n.Level = level
		*into = append(*into, n)
		next, dest := level+1, &n.Replies
		if maxDepth > 0 && next >= maxDepth {
			next, dest = level, into // too deep: flat after n, in thread order
		}
		for _, r := range children[n.ID] {
			place(r, next, dest)
		}
	}
	for _, n := range children[""] {
		place(n, 0, &top)
	}
	return top
}

// sortLevel orders comments of one level; rows arrive oldest first, so
// oldest needs nothing and ties keep that order.
func sortLevel(list []*Node, order Sort) {
	switch order {
	case SortNewest:
		slices.Reverse(list)
	case SortSupported:
		slices.SortStableFunc(list, func(a, b *Node) int { return cmp.Compare(b.SupportCount, a.SupportCount) })
	}
}

// ThreadVersion is a number that changes whenever any comment of the
// target is added, edited, supported, hidden or deleted, by anyone in any
// process (database triggers keep it; see migration comment_threads).
// It lets a page reuse a thread it rendered while the number holds. A
// target without comments is version 0.
func (s *Service) ThreadVersion(ctx context.Context, t Target) (int64, error) {
	var v []int64
	err := s.db.NewSelect().Table("comment_threads").Column("version").
		Where("target_kind = ? AND target_id = ?", t.Kind, t.ID).Scan(ctx, &v)
	if err != nil {
		return 0, fmt.Errorf("thread version: %w", err)
	}
	if len(v) == 0 {
		return 0, nil
	}
	return v[0], nil
}
