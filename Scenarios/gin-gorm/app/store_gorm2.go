//go:build !gormv1

// GORM v2 (gorm.io/gorm) with its SQLite driver (gorm.io/driver/sqlite, on mattn/go-sqlite3): the
// upstream build, with the modules go.mod pins.
package main

import (
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
)

const gormName = "gorm.io/gorm (GORM v2)"

type userStore struct{ db *gorm.DB }

func openStore(path string) (*userStore, error) {
	db, err := gorm.Open(sqlite.Open(path), &gorm.Config{})
	if err != nil {
		return nil, err
	}
	if err := db.AutoMigrate(&User{}); err != nil {
		return nil, err
	}
	return &userStore{db}, nil
}

func (s *userStore) create(user *User) error          { return s.db.Create(user).Error }
func (s *userStore) find(id uint64, user *User) error { return s.db.First(user, id).Error }
