//go:build gormv1

// GORM v1 (github.com/jinzhu/gorm) with its sqlite dialect (on mattn/go-sqlite3): the offline build,
// against Debian's packages in GOPATH mode, where GORM v2 is not packaged.
package main

import (
	"github.com/jinzhu/gorm"
	_ "github.com/jinzhu/gorm/dialects/sqlite"
)

const gormName = "github.com/jinzhu/gorm (GORM v1)"

type userStore struct{ db *gorm.DB }

func openStore(path string) (*userStore, error) {
	db, err := gorm.Open("sqlite3", path)
	if err != nil {
		return nil, err
	}
	if err := db.AutoMigrate(&User{}).Error; err != nil {
		return nil, err
	}
	return &userStore{db}, nil
}

func (s *userStore) create(user *User) error          { return s.db.Create(user).Error }
func (s *userStore) find(id uint64, user *User) error { return s.db.First(user, id).Error }
